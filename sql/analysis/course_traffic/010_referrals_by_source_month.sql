-- How many referrals (and distinct users) did each traffic source bring per month?
-- month is the first day of the month (UTC). A source is shown with the name and channel it had
-- at the referral's time (its SCD2 version); a source known only by id shows as 'source <id>'.
CREATE OR REPLACE VIEW analysis.referrals_by_source_month AS
SELECT make_date(d.year, d.month, 1) AS month,
       coalesce(s.source_name, 'source ' || s.source_id) AS source_name,
       s.channel,
       count(*) AS referrals,
       count(DISTINCT r.user_id) AS users
  FROM fact_referral r
  JOIN dim_traffic_source s ON s.traffic_source_key = r.traffic_source_key
  JOIN dim_date d ON d.date_key = r.referred_date_key
 WHERE r.referred_date_key <> -1
 GROUP BY 1, 2, 3
 ORDER BY 1, 2, 3;
