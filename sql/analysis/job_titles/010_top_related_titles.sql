-- Which job titles have the most distinct related titles? The top 10, ties by title.
CREATE OR REPLACE VIEW analysis.top_related_titles AS
SELECT t.job_title, count(*) AS related_count
  FROM bridge_job_title_related b
  JOIN dim_job_title t ON t.job_title_key = b.job_title_key
 GROUP BY t.job_title
 ORDER BY related_count DESC, t.job_title
 LIMIT 10;
