-- bridge_job_title_related: for each normalized job title, the distinct union of its related
-- titles (normalized the same way) over ALL loaded rows of that title. position is the smallest
-- 1-based position the related title had in a row's related list; the lineage is the first row
-- (file, line) with that position. Related values that normalize to empty are counted as
-- unplaced. The titles in the batch's rows are recomputed and replaced. Rows come normalized
-- from job_title_source_rows (filled by dim_job_title), found by title through its index.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

CREATE TEMP TABLE tmp_rel_batch ON COMMIT DROP AS
SELECT r.file_id, r.line_no, r.job_title, r.related_titles
  FROM job_title_source_rows r
  JOIN etl_batch_files b ON b.file_id = r.file_id AND b.batch_id = etl_current_batch();

CREATE TEMP TABLE tmp_rel_touched ON COMMIT DROP AS
SELECT DISTINCT d.job_title_key, d.job_title
  FROM tmp_rel_batch r
  JOIN dim_job_title d ON d.job_title = r.job_title AND d.job_title_key <> -1;
ANALYZE tmp_rel_touched;

CREATE TEMP TABLE tmp_rel_desired ON COMMIT DROP AS
WITH title_rows AS (
  SELECT t.job_title_key, r.file_id, r.line_no, r.related_titles
    FROM job_title_source_rows r
    JOIN tmp_rel_touched t ON t.job_title = r.job_title
    JOIN ingest.files f ON f.file_id = r.file_id AND f.status = 'loaded'
),
related AS (
  SELECT w.job_title_key, w.file_id, w.line_no,
         r.related_title, r.position::integer AS position
    FROM title_rows w
    CROSS JOIN LATERAL unnest(w.related_titles) WITH ORDINALITY AS r(related_title, position)
)
SELECT DISTINCT ON (job_title_key, related_title)
       job_title_key, related_title, position, file_id, line_no
  FROM related
 WHERE related_title IS NOT NULL
 ORDER BY job_title_key, related_title, position, file_id, line_no;

CREATE TEMP TABLE tmp_rel_changes (change text) ON COMMIT DROP;

WITH deleted AS (
  DELETE FROM bridge_job_title_related b
   USING tmp_rel_touched t
   WHERE b.job_title_key = t.job_title_key
     AND NOT EXISTS (SELECT 1 FROM tmp_rel_desired n
                      WHERE n.job_title_key = b.job_title_key
                        AND n.related_title = b.related_title)
  RETURNING 1
)
INSERT INTO tmp_rel_changes SELECT 'deleted' FROM deleted;

WITH upserted AS (
  INSERT INTO bridge_job_title_related AS b (job_title_key, related_title, position, file_id,
                                             line_no, inserted_batch, updated_batch)
  SELECT job_title_key, related_title, position, file_id, line_no,
         etl_current_batch(), etl_current_batch()
    FROM tmp_rel_desired
  ON CONFLICT (job_title_key, related_title) DO UPDATE
     SET position = EXCLUDED.position, file_id = EXCLUDED.file_id, line_no = EXCLUDED.line_no,
         updated_batch = EXCLUDED.updated_batch
   WHERE row(b.position, b.file_id, b.line_no)
         IS DISTINCT FROM row(EXCLUDED.position, EXCLUDED.file_id, EXCLUDED.line_no)
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO tmp_rel_changes
SELECT CASE WHEN is_insert THEN 'inserted' ELSE 'updated' END FROM upserted;

INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                deleted, unplaced, reason)
SELECT etl_current_batch(), 'job_titles', 'bridge_job_title_related', r.staging_rows,
       (SELECT count(*) FILTER (WHERE change = 'inserted') FROM tmp_rel_changes),
       (SELECT count(*) FILTER (WHERE change = 'updated') FROM tmp_rel_changes),
       (SELECT count(*) FILTER (WHERE change = 'deleted') FROM tmp_rel_changes),
       r.unplaced,
       CASE WHEN r.unplaced > 0 THEN 'related title normalizes to empty' END
  FROM (SELECT count(*) AS staging_rows,
               count(*) FILTER (WHERE v.related_title IS NULL) AS unplaced
          FROM tmp_rel_batch r
          CROSS JOIN LATERAL unnest(r.related_titles) AS v(related_title)
         WHERE r.job_title IS NOT NULL) r;

SELECT inserted + updated + deleted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'bridge_job_title_related';
