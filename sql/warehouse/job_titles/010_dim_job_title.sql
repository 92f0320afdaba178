-- dim_job_title (type 1): one row per normalized title (dw_normalize_title). The titles in the
-- batch's rows are recomputed from ALL loaded rows that normalize to them; pdl_count is the
-- largest over those rows. Rows whose title normalizes to empty are counted as unplaced.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

CREATE TEMP TABLE tmp_title_batch ON COMMIT DROP AS
SELECT s.file_id, s.line_no, dw_normalize_title(s.title) AS job_title
  FROM title_data s
  JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch();

CREATE TEMP TABLE tmp_title_touched ON COMMIT DROP AS
SELECT DISTINCT job_title FROM tmp_title_batch WHERE job_title IS NOT NULL;
ANALYZE tmp_title_touched;

CREATE TEMP TABLE tmp_title_desired ON COMMIT DROP AS
SELECT x.job_title, max(x.pdl_count) AS pdl_count
  FROM (SELECT dw_normalize_title(s.title) AS job_title, s.pdl_count
          FROM title_data s
          JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded') x
  JOIN tmp_title_touched t ON t.job_title = x.job_title
 GROUP BY x.job_title;

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
