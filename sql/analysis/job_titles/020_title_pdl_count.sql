-- Which job titles are the most common (largest pdl count)? The top 10, ties by title.
CREATE OR REPLACE VIEW analysis.title_pdl_count AS
SELECT t.job_title, t.pdl_count
  FROM dim_job_title t
 WHERE t.job_title_key <> -1 AND t.pdl_count IS NOT NULL
 ORDER BY t.pdl_count DESC, t.job_title
 LIMIT 10;
