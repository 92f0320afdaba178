-- Per user and habit, totals per calendar day, ISO week, month and year. period_start is the
-- period's first day (an ISO week starts on Monday and may begin in the previous year), so
-- periods never merge across years.
CREATE OR REPLACE VIEW analysis.user_period_summary AS
WITH daily AS (
  SELECT d.date AS day, u.user_id, h.habit_name,
         sum(a.total_duration_minutes) AS total_duration, sum(a.record_count) AS total_records
    FROM agg_daily a
    JOIN dim_date d ON d.date_key = a.date_key
    JOIN dim_habit h ON h.habit_key = a.habit_key
    JOIN dim_user u ON u.user_key = a.user_key
   WHERE a.date_key <> -1
   GROUP BY d.date, u.user_id, h.habit_name
),
periods (period, period_no) AS (
  VALUES ('day', 1), ('week', 2), ('month', 3), ('year', 4)
)
SELECT x.user_id, p.period,
       (CASE p.period
          WHEN 'day' THEN x.day
          WHEN 'week' THEN date_trunc('week', x.day::timestamp)::date
          WHEN 'month' THEN date_trunc('month', x.day::timestamp)::date
          ELSE date_trunc('year', x.day::timestamp)::date
        END) AS period_start,
       x.habit_name,
       sum(x.total_duration) AS total_duration,
       sum(x.total_records) AS total_records
  FROM daily x
 CROSS JOIN periods p
 GROUP BY x.user_id, p.period, p.period_no, 3, x.habit_name
 ORDER BY x.user_id, p.period_no, 3, x.habit_name;
