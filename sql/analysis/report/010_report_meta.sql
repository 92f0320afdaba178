-- Which warehouse batch does the report show? The last successful --pipeline run, with the
-- number of rows per subject; no row while the warehouse holds no data (report: "no data yet").
CREATE OR REPLACE VIEW analysis.report_meta AS
SELECT r.batch_id, r.mode, r.finished_at,
       (SELECT count(*) FROM fact_referral) AS referrals,
       (SELECT count(*) FROM fact_marketing_daily) AS marketing_days,
       (SELECT count(*) FROM dim_job_title WHERE job_title_key <> -1) AS job_titles,
       (SELECT count(*) FROM fact_habit_record) AS habit_records,
       (SELECT count(*) FROM fact_case) AS cases
  FROM etl_runs r
 WHERE r.status = 'succeeded'
   AND (EXISTS (SELECT 1 FROM fact_referral) OR EXISTS (SELECT 1 FROM fact_marketing_daily)
        OR EXISTS (SELECT 1 FROM dim_job_title WHERE job_title_key <> -1)
        OR EXISTS (SELECT 1 FROM fact_habit_record) OR EXISTS (SELECT 1 FROM fact_case))
 ORDER BY r.batch_id DESC
 LIMIT 1;
