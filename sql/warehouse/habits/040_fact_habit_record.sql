-- fact_habit_record: one row per record (habit_name, user_id, recorded_at); when several loaded
-- rows describe the same record the latest (file, then line) wins.
-- Recomputed records: those in the batch's rows, plus every record of the habits whose
-- versions changed since the last successful run (they must point at the version valid at
-- recorded_at, and take that version's category).

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- The batch's rows are found through the staging tables' BRIN index on file_id: the file_id
-- range of the batch is spelled out because the planner does not use a BRIN index for a join.

CREATE TEMP TABLE tmp_rec_keys ON COMMIT DROP AS
SELECT s.habit_name, s.user_id, s.recorded_at
  FROM habit_records s
  JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
   AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch())
                     AND (SELECT max(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch())
UNION
SELECT f.habit_name, f.user_id, f.recorded_at
  FROM fact_habit_record f
  JOIN etl_dimension_changes c ON c.dimension = 'habit' AND c.business_key = f.habit_name
 WHERE c.batch_id > etl_last_succeeded_batch();
ANALYZE tmp_rec_keys;

-- A record's latest loaded row is the latest of the batch's rows of the record and the row its
-- fact already holds (duration and lineage are copied from that row): every other loaded row
-- lost to the fact's row when an earlier run computed it, and loaded rows never leave. So the
-- step reads the batch's rows and the touched facts, not all of habit_records. In a --full run
-- the facts are empty and every loaded row is in the batch.
CREATE TEMP TABLE tmp_rec_desired ON COMMIT DROP AS
WITH candidates AS (
  SELECT s.habit_name, s.user_id, s.recorded_at, s.duration_minutes, s.file_id, s.line_no
    FROM habit_records s
    JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
     AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                             WHERE batch_id = etl_current_batch())
                       AND (SELECT max(file_id) FROM etl_batch_files
                             WHERE batch_id = etl_current_batch())
  UNION ALL
  SELECT f.habit_name, f.user_id, f.recorded_at, f.duration_minutes, f.file_id, f.line_no
    FROM fact_habit_record f
    JOIN tmp_rec_keys k
      ON k.habit_name = f.habit_name AND k.user_id = f.user_id AND k.recorded_at = f.recorded_at
),
latest AS (
  SELECT DISTINCT ON (c.habit_name, c.user_id, c.recorded_at) c.*
    FROM candidates c
   ORDER BY c.habit_name, c.user_id, c.recorded_at, c.file_id DESC, c.line_no DESC
)
SELECT l.habit_name, l.user_id, l.recorded_at, l.duration_minutes, l.file_id, l.line_no,
       coalesce(h.habit_key, -1) AS habit_key,
       coalesce(h.category_key, -1) AS category_key,
       coalesce(u.user_key, -1) AS user_key,
       dw_date_key((l.recorded_at AT TIME ZONE 'UTC')::date) AS recorded_date_key
  FROM latest l
  LEFT JOIN dim_habit h
    ON h.habit_name = l.habit_name AND h.habit_key <> -1
   AND h.valid_from <= l.recorded_at AND l.recorded_at < h.valid_to
  LEFT JOIN dim_user u ON u.user_id = l.user_id AND u.user_key <> -1;

WITH upserted AS (
  INSERT INTO fact_habit_record AS f (habit_name, user_id, recorded_at, habit_key, category_key,
                                      user_key, recorded_date_key, duration_minutes, file_id,
                                      line_no, inserted_batch, updated_batch)
  SELECT habit_name, user_id, recorded_at, habit_key, category_key, user_key, recorded_date_key,
         duration_minutes, file_id, line_no, etl_current_batch(), etl_current_batch()
    FROM tmp_rec_desired
  ON CONFLICT (habit_name, user_id, recorded_at) DO UPDATE
     SET habit_key = EXCLUDED.habit_key, category_key = EXCLUDED.category_key,
         user_key = EXCLUDED.user_key, recorded_date_key = EXCLUDED.recorded_date_key,
         duration_minutes = EXCLUDED.duration_minutes, file_id = EXCLUDED.file_id,
         line_no = EXCLUDED.line_no, updated_batch = EXCLUDED.updated_batch
   WHERE row(f.habit_key, f.category_key, f.user_key, f.recorded_date_key, f.duration_minutes,
             f.file_id, f.line_no)
         IS DISTINCT FROM
         row(EXCLUDED.habit_key, EXCLUDED.category_key, EXCLUDED.user_key,
             EXCLUDED.recorded_date_key, EXCLUDED.duration_minutes, EXCLUDED.file_id,
             EXCLUDED.line_no)
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated)
SELECT etl_current_batch(), 'habits', 'fact_habit_record',
       (SELECT count(*) FROM habit_records s JOIN etl_batch_files b ON b.file_id = s.file_id
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
 WHERE batch_id = etl_current_batch() AND target = 'fact_habit_record';
