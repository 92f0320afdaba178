-- Issue 14: staging tables without a per-row index, and an incremental job-title build that
-- reads only the new rows.
--
-- 1. Every staging table keeps file_id and line_no on every row (lineage), but no longer has
--    the primary key (file_id, line_no): maintaining that index more than doubled the cost of a
--    load. The pair is unique by construction (the ledger loads a file once, under one file_id,
--    and line numbers are unique within a file). The warehouse finds a file's rows through a
--    BRIN index on file_id, which costs almost nothing on append because file ids grow with the
--    order rows are appended in. The conversion is generic over the staging schema, so tables
--    created on first use by any kind are converted too; the service creates new staging tables
--    this way itself (core/table/ddl.cpp).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid::regclass AS rel, c.relname, p.conname
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_constraint p ON p.conrelid = c.oid AND p.contype = 'p'
           AND p.conkey = ARRAY[
             (SELECT attnum FROM pg_attribute WHERE attrelid = c.oid AND attname = 'file_id'),
             (SELECT attnum FROM pg_attribute WHERE attrelid = c.oid AND attname = 'line_no')]
     WHERE n.nspname = current_setting('dp.staging_schema')
       AND c.relkind = 'r'
       AND EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'file_id' AND NOT a.attisdropped)
       AND EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'line_no' AND NOT a.attisdropped)
  LOOP
    IF t.conname IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t.rel, t.conname);
    END IF;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING brin (file_id) '
                   'WITH (autosummarize = on)', t.relname || '_file_id_brin', t.rel);
  END LOOP;
END
$$;

-- 2. The normalized form of every loaded title_data row, kept by the dim_job_title step for the
--    files of each batch (and rebuilt by --full). dim_job_title and bridge_job_title_related
--    find the rows of a touched title here through an index instead of normalizing every title
--    ever loaded; related_titles holds dw_normalize_title of each related value at its 1-based
--    position (NULL where it normalizes to empty).
CREATE TABLE job_title_source_rows (
  file_id        bigint NOT NULL,
  line_no        bigint NOT NULL,
  job_title      text,
  pdl_count      bigint,
  related_titles text[]
);
CREATE INDEX job_title_source_rows_title ON job_title_source_rows (job_title);
CREATE INDEX job_title_source_rows_file ON job_title_source_rows (file_id);

-- A warehouse built before this migration: fill the table from the title rows of the files
-- earlier runs consumed (the files of later batches are filled by their run).
DO $$
BEGIN
  IF to_regclass(format('%I.title_data', current_setting('dp.staging_schema'))) IS NOT NULL THEN
    EXECUTE format(
      'INSERT INTO job_title_source_rows (file_id, line_no, job_title, pdl_count, related_titles)
       SELECT s.file_id, s.line_no, dw_normalize_title(s.title), s.pdl_count,
              ARRAY(SELECT dw_normalize_title(r.value)
                      FROM unnest(s.related) WITH ORDINALITY AS r(value, position)
                     ORDER BY r.position)
         FROM %I.title_data s
        WHERE s.file_id IN (SELECT b.file_id FROM etl_batch_files b
                              JOIN etl_runs r ON r.batch_id = b.batch_id
                             WHERE r.status = ''succeeded'')',
      current_setting('dp.staging_schema'));
  END IF;
END
$$;
