-- How long and how often did each user practise each habit per day (UTC day)?
-- category_name is the habit's category at the time of the records.
CREATE OR REPLACE VIEW analysis.daily_view AS
SELECT d.date AS record_day, h.habit_name, u.user_id, c.category_name,
       sum(a.total_duration_minutes) AS total_duration,
       sum(a.record_count) AS total_records
  FROM agg_daily a
  JOIN dim_date d ON d.date_key = a.date_key
  JOIN dim_habit h ON h.habit_key = a.habit_key
  JOIN dim_user u ON u.user_key = a.user_key
  JOIN dim_category c ON c.category_key = a.category_key
 GROUP BY d.date, h.habit_name, u.user_id, c.category_name
 ORDER BY d.date, h.habit_name, u.user_id, c.category_name;
