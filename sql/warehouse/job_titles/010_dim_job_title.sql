-- dim_job_title (type 1): one row per normalized title (dw_normalize_title). The titles in the
-- batch's rows are recomputed from ALL loaded rows that normalize to them; pdl_count is the
-- largest over those rows. Rows whose title normalizes to empty are counted as unplaced.
-- The batch's rows are normalized once, into job_title_source_rows (migration V008), and the
-- rows of a touched title are found there through its index: the step reads the new rows and
-- the rows of the titles they touch, never every title ever loaded.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- A batch that failed after this step is taken up again by the next run: its files' rows are
-- replaced, not added twice.
DELETE FROM job_title_source_rows r
 USING etl_batch_files b
 WHERE b.file_id = r.file_id AND b.batch_id = etl_current_batch();

INSERT INTO job_title_source_rows (file_id, line_no, job_title, pdl_count, related_titles)
SELECT s.file_id, s.line_no, dw_normalize_title(s.title), s.pdl_count,
       ARRAY(SELECT dw_normalize_title(r.value)
               FROM unnest(s.related) WITH ORDINALITY AS r(value, position)
              ORDER BY r.position)
  FROM title_data s
  JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
   -- Spelled out for the BRIN index on file_id, which the planner does not use for a join.
   AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch())
                     AND (SELECT max(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch());
-- Statistics for the lookups below (the table may have been empty at the start of this
-- transaction), taken only when the batch added rows; the wide related_titles column is left
-- out, sampling it costs most.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM etl_batch_files WHERE batch_id = etl_current_batch()) THEN
    ANALYZE job_title_source_rows (file_id, job_title);
  END IF;
END
$$;

CREATE TEMP TABLE tmp_title_batch ON COMMIT DROP AS
SELECT r.file_id, r.line_no, r.job_title
  FROM job_title_source_rows r
  JOIN etl_batch_files b ON b.file_id = r.file_id AND b.batch_id = etl_current_batch();

CREATE TEMP TABLE tmp_title_touched ON COMMIT DROP AS
SELECT DISTINCT job_title FROM tmp_title_batch WHERE job_title IS NOT NULL;
ANALYZE tmp_title_touched;

CREATE TEMP TABLE tmp_title_desired ON COMMIT DROP AS
SELECT r.job_title, max(r.pdl_count) AS pdl_count
  FROM job_title_source_rows r
  JOIN tmp_title_touched t ON t.job_title = r.job_title
  JOIN ingest.files f ON f.file_id = r.file_id AND f.status = 'loaded'
 GROUP BY r.job_title;

WITH upserted AS (
  INSERT INTO dim_job_title AS d (job_title, pdl_count, inserted_batch, updated_batch)
  SELECT job_title, pdl_count, etl_current_batch(), etl_current_batch()
    FROM tmp_title_desired
  ON CONFLICT (job_title) WHERE job_title_key <> -1 DO UPDATE
     SET pdl_count = EXCLUDED.pdl_count, updated_batch = EXCLUDED.updated_batch
   WHERE d.pdl_count IS DISTINCT FROM EXCLUDED.pdl_count
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                unplaced, reason)
SELECT etl_current_batch(), 'job_titles', 'dim_job_title', r.staging_rows,
       (SELECT count(*) FILTER (WHERE is_insert) FROM upserted),
       (SELECT count(*) FILTER (WHERE NOT is_insert) FROM upserted),
       r.unplaced,
       CASE WHEN r.unplaced > 0 THEN 'title normalizes to empty' END
  FROM (SELECT count(*) AS staging_rows,
               count(*) FILTER (WHERE job_title IS NULL) AS unplaced
          FROM tmp_title_batch) r;

SELECT inserted + updated AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_job_title';
