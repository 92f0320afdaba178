-- dim_user (type 1): for every user in the batch's records, the names, chat id, premium flag
-- and language of the user's latest loaded record (by recorded_at, then file, then line).

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- The batch's rows are found through the staging tables' BRIN index on file_id: the file_id
-- range of the batch is spelled out because the planner does not use a BRIN index for a join.

CREATE TEMP TABLE tmp_user_touched ON COMMIT DROP AS
SELECT DISTINCT s.user_id
  FROM habit_records s
  JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
   AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch())
                     AND (SELECT max(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch());
ANALYZE tmp_user_touched;

WITH latest AS (
  SELECT DISTINCT ON (s.user_id)
         s.user_id, s.chat_id, s.username, s.first_name, s.last_name, s.is_premium,
         s.language_code
    FROM habit_records s
    JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
    JOIN tmp_user_touched t ON t.user_id = s.user_id
   ORDER BY s.user_id, s.recorded_at DESC, s.file_id DESC, s.line_no DESC
),
upserted AS (
  INSERT INTO dim_user AS d (user_id, chat_id, username, first_name, last_name, is_premium,
                             language_code, inserted_batch, updated_batch)
  SELECT user_id, chat_id, username, first_name, last_name, is_premium, language_code,
         etl_current_batch(), etl_current_batch()
    FROM latest
  ON CONFLICT (user_id) WHERE user_key <> -1 DO UPDATE
     SET chat_id = EXCLUDED.chat_id, username = EXCLUDED.username,
         first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
         is_premium = EXCLUDED.is_premium, language_code = EXCLUDED.language_code,
         updated_batch = EXCLUDED.updated_batch
   WHERE row(d.chat_id, d.username, d.first_name, d.last_name, d.is_premium, d.language_code)
         IS DISTINCT FROM
         row(EXCLUDED.chat_id, EXCLUDED.username, EXCLUDED.first_name, EXCLUDED.last_name,
             EXCLUDED.is_premium, EXCLUDED.language_code)
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated)
SELECT etl_current_batch(), 'habits', 'dim_user',
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
 WHERE batch_id = etl_current_batch() AND target = 'dim_user';
