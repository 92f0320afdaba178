-- How many users recorded at least one habit each day (UTC)?
CREATE OR REPLACE VIEW analysis.active_users_daily AS
SELECT d.date AS record_day, count(DISTINCT a.user_key) AS active_users
  FROM agg_daily a
  JOIN dim_date d ON d.date_key = a.date_key
 WHERE a.date_key <> -1
 GROUP BY d.date
 ORDER BY d.date;
