-- Chart data for report.html: total minutes per day, favourite habits, category shares.

-- How many minutes were recorded per day, all users and habits together?
CREATE OR REPLACE VIEW analysis.report_duration_daily AS
SELECT d.date AS record_day, sum(a.total_duration_minutes) AS total_duration
  FROM agg_daily a
  JOIN dim_date d ON d.date_key = a.date_key
 WHERE a.date_key <> -1
 GROUP BY d.date
 ORDER BY d.date;

-- Which habits get the most time? Habits by total minutes, then records, then name.
CREATE OR REPLACE VIEW analysis.report_favourite_habits AS
SELECT h.habit_name, sum(a.total_duration_minutes) AS total_duration,
       sum(a.record_count) AS total_records
  FROM agg_daily a
  JOIN dim_habit h ON h.habit_key = a.habit_key
 GROUP BY h.habit_name
 ORDER BY total_duration DESC NULLS LAST, total_records DESC, h.habit_name;

-- What share of all recorded minutes does each category take (percent, 1 decimal)?
CREATE OR REPLACE VIEW analysis.report_category_share AS
SELECT c.category_name, sum(a.total_duration_minutes) AS total_duration,
       round(100 * sum(a.total_duration_minutes)
             / nullif(sum(sum(a.total_duration_minutes)) OVER (), 0), 1) AS share_pct
  FROM agg_daily a
  JOIN dim_category c ON c.category_key = a.category_key
 GROUP BY c.category_name
 ORDER BY total_duration DESC NULLS LAST, c.category_name;
