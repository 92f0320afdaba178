-- fact_referral: one row per (user_id, source_id, referred_at).
-- Recomputed keys: the keys in the batch's user_traffic rows, plus the facts of sources whose
-- dimension versions changed since the last successful run (they must point at the version
-- valid at referred_at). Each key takes its latest loaded row (file, then line): a later row
-- for the same key corrects the campaign code and becomes the fact's lineage.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- The batch's rows are found through the staging tables' BRIN index on file_id: the file_id
-- range of the batch is spelled out because the planner does not use a BRIN index for a join.

CREATE TEMP TABLE tmp_ref_keys ON COMMIT DROP AS
SELECT s.user_id, s.source_id, s.referred_at
  FROM user_traffic s
  JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
   AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch())
                     AND (SELECT max(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch())
UNION
SELECT f.user_id, f.source_id, f.referred_at
  FROM fact_referral f
  JOIN etl_dimension_changes c
    ON c.dimension = 'traffic_source' AND c.business_key = 'id:' || f.source_id
 WHERE c.batch_id > etl_last_succeeded_batch();
ANALYZE tmp_ref_keys;

-- A key's latest loaded row is the latest of the batch's rows of the key and the row its fact
-- already holds (campaign code and lineage are copied from that row): every other loaded row
-- of the key lost to the fact's row when an earlier run computed it, and loaded rows never
-- leave. So the step reads the batch's rows and the touched facts, not all of user_traffic. In
-- a --full run the facts are empty and every loaded row is in the batch.
CREATE TEMP TABLE tmp_ref_desired ON COMMIT DROP AS
WITH candidates AS (
  SELECT s.user_id, s.source_id, s.referred_at, s.campaign_code, s.file_id, s.line_no
    FROM user_traffic s
    JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
     AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                             WHERE batch_id = etl_current_batch())
                       AND (SELECT max(file_id) FROM etl_batch_files
                             WHERE batch_id = etl_current_batch())
  UNION ALL
  SELECT f.user_id, f.source_id, f.referred_at, f.campaign_code, f.file_id, f.line_no
    FROM fact_referral f
    JOIN tmp_ref_keys k
      ON k.user_id = f.user_id AND k.source_id = f.source_id AND k.referred_at = f.referred_at
),
latest AS (
  SELECT DISTINCT ON (c.user_id, c.source_id, c.referred_at) c.*
    FROM candidates c
   ORDER BY c.user_id, c.source_id, c.referred_at, c.file_id DESC, c.line_no DESC
)
SELECT l.*,
       coalesce((SELECT d.traffic_source_key
                   FROM dim_traffic_source d
                  WHERE d.business_key = 'id:' || l.source_id
                    AND d.traffic_source_key <> -1
                    AND d.valid_from <= l.referred_at AND l.referred_at < d.valid_to), -1)
         AS traffic_source_key,
       dw_date_key((l.referred_at AT TIME ZONE 'UTC')::date) AS referred_date_key
  FROM latest l;

WITH upserted AS (
  INSERT INTO fact_referral AS f (user_id, source_id, referred_at, campaign_code,
                                  traffic_source_key, referred_date_key, file_id, line_no,
                                  inserted_batch, updated_batch)
  SELECT user_id, source_id, referred_at, campaign_code, traffic_source_key, referred_date_key,
         file_id, line_no, etl_current_batch(), etl_current_batch()
    FROM tmp_ref_desired
  ON CONFLICT (user_id, source_id, referred_at) DO UPDATE
     SET campaign_code = EXCLUDED.campaign_code,
         traffic_source_key = EXCLUDED.traffic_source_key,
         referred_date_key = EXCLUDED.referred_date_key,
         file_id = EXCLUDED.file_id,
         line_no = EXCLUDED.line_no,
         updated_batch = EXCLUDED.updated_batch
   WHERE row(f.campaign_code, f.traffic_source_key, f.referred_date_key, f.file_id, f.line_no)
         IS DISTINCT FROM row(EXCLUDED.campaign_code, EXCLUDED.traffic_source_key,
                              EXCLUDED.referred_date_key, EXCLUDED.file_id, EXCLUDED.line_no)
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated)
SELECT etl_current_batch(), 'course_traffic', 'fact_referral',
       (SELECT count(*) FROM user_traffic s JOIN etl_batch_files b ON b.file_id = s.file_id
         WHERE b.batch_id = etl_current_batch()
           AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                                   WHERE batch_id = etl_current_batch())
                             AND (SELECT max(file_id) FROM etl_batch_files
                                   WHERE batch_id = etl_current_batch())),
       count(*) FILTER (WHERE is_insert),
       count(*) FILTER (WHERE NOT is_insert)
  FROM upserted;

SELECT inserted + updated AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'fact_referral';
