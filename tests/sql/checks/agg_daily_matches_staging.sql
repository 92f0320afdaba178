-- agg_daily equals the habit records computed straight from loaded staging (one record per
-- habit, user and second, the latest file and line winning; UTC days), so records that arrive
-- late for a past day are counted in their day. Compared per day, habit name and user.
WITH records AS (
  SELECT DISTINCT ON (s.habit_name, s.user_id, s.recorded_at)
         s.habit_name, s.user_id, (s.recorded_at AT TIME ZONE 'UTC')::date AS day,
         s.duration_minutes
    FROM habit_records s
    JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
   ORDER BY s.habit_name, s.user_id, s.recorded_at, s.file_id DESC, s.line_no DESC
),
expected AS (
  SELECT day, habit_name, user_id, sum(duration_minutes) AS total, count(*) AS records
    FROM records GROUP BY day, habit_name, user_id
),
actual AS (
  SELECT d.date AS day, h.habit_name, u.user_id, sum(a.total_duration_minutes) AS total,
         sum(a.record_count) AS records
    FROM agg_daily a
    JOIN dim_date d ON d.date_key = a.date_key
    JOIN dim_habit h ON h.habit_key = a.habit_key
    JOIN dim_user u ON u.user_key = a.user_key
   GROUP BY d.date, h.habit_name, u.user_id
)
(SELECT 'missing or different in agg_daily' AS problem, * FROM expected
 EXCEPT SELECT 'missing or different in agg_daily', * FROM actual)
UNION ALL
(SELECT 'not in staging', * FROM actual
 EXCEPT SELECT 'not in staging', * FROM expected);
