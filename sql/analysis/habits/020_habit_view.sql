-- How long and how often did each user practise each habit over all time?
-- A habit that changed category has one row per category.
CREATE OR REPLACE VIEW analysis.habit_view AS
SELECT h.habit_name, c.category_name, u.user_id,
       sum(a.total_duration_minutes) AS total_duration,
       sum(a.record_count) AS total_records
  FROM agg_daily a
  JOIN dim_habit h ON h.habit_key = a.habit_key
  JOIN dim_user u ON u.user_key = a.user_key
  JOIN dim_category c ON c.category_key = a.category_key
 GROUP BY h.habit_name, c.category_name, u.user_id
 ORDER BY h.habit_name, c.category_name, u.user_id;
