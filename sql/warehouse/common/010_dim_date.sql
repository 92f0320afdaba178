-- dim_date covers whole calendar years, from the earliest to the latest year of any date a
-- loaded file carries (event times, marketing days, case and log times, calendar files) and
-- of the days already present. Staging only grows, so the years covered after incremental
-- runs equal the years a --full run covers. Dates outside 1900..2199 map to -1 (dw_date_key).
-- timestamptz values are taken as UTC dates whatever the session's TimeZone.
-- The days are inserted by dw_ensure_dates (V010), which a step of another subject calls for
-- its own dates: a new kind's warehouse step needs no edit here.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;
-- The batch's rows are found through the staging tables' BRIN indexes on file_id: the file_id
-- range of the batch is spelled out because the planner does not use a BRIN index for a join
-- (without it each table was read whole: 1.0 s of a +1 % run on 2M staging rows).
WITH batch AS (
  SELECT file_id FROM etl_batch_files WHERE batch_id = etl_current_batch()
),
spans (lo, hi) AS (
  SELECT min(s.referred_at AT TIME ZONE 'UTC')::date, max(s.referred_at AT TIME ZONE 'UTC')::date
    FROM user_traffic s JOIN batch b ON b.file_id = s.file_id
     AND s.file_id BETWEEN (SELECT min(file_id) FROM batch) AND (SELECT max(file_id) FROM batch)
  UNION ALL
  SELECT min(s.date), max(s.date)
    FROM marketing_daily s JOIN batch b ON b.file_id = s.file_id
     AND s.file_id BETWEEN (SELECT min(file_id) FROM batch) AND (SELECT max(file_id) FROM batch)
  UNION ALL
  SELECT min(s.recorded_at AT TIME ZONE 'UTC')::date, max(s.recorded_at AT TIME ZONE 'UTC')::date
    FROM habit_records s JOIN batch b ON b.file_id = s.file_id
     AND s.file_id BETWEEN (SELECT min(file_id) FROM batch) AND (SELECT max(file_id) FROM batch)
  UNION ALL
  SELECT min(s.created_at)::date, max(s.created_at)::date
    FROM cases s JOIN batch b ON b.file_id = s.file_id
     AND s.file_id BETWEEN (SELECT min(file_id) FROM batch) AND (SELECT max(file_id) FROM batch)
  UNION ALL
  SELECT min(s.logged_at)::date, max(s.logged_at)::date
    FROM case_logs s JOIN batch b ON b.file_id = s.file_id
     AND s.file_id BETWEEN (SELECT min(file_id) FROM batch) AND (SELECT max(file_id) FROM batch)
  UNION ALL
  SELECT min(s.date), max(s.date)
    FROM calendar s JOIN batch b ON b.file_id = s.file_id
     AND s.file_id BETWEEN (SELECT min(file_id) FROM batch) AND (SELECT max(file_id) FROM batch)
   WHERE s.date_key <> -1
  UNION ALL
  SELECT min(date), max(date) FROM dim_date WHERE date_key <> -1
),
bounds AS (
  SELECT min(lo) AS lo, max(hi) AS hi FROM spans
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted)
SELECT etl_current_batch(), 'calendar', 'dim_date',
       (SELECT count(*) FROM calendar s JOIN etl_batch_files b ON b.file_id = s.file_id
         WHERE b.batch_id = etl_current_batch()),
       dw_ensure_dates(bounds.lo, bounds.hi)
  FROM bounds;

SELECT inserted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_date';
