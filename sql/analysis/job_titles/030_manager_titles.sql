-- How many titles list exactly "manager" among their related titles, and how common are they
-- on average (pdl count rounded to a whole number)? No row while there are no titles at all.
CREATE OR REPLACE VIEW analysis.manager_titles AS
SELECT count(*) AS titles, round(avg(t.pdl_count)) AS avg_pdl_count
  FROM dim_job_title t
 WHERE t.job_title_key <> -1
   AND EXISTS (SELECT 1 FROM bridge_job_title_related b
                WHERE b.job_title_key = t.job_title_key AND b.related_title = 'manager')
HAVING EXISTS (SELECT 1 FROM dim_job_title WHERE job_title_key <> -1);
