-- fact_marketing_daily: one row per (day, source name), metrics summed over all loaded rows of
-- that day and name. A name resolves to the source id whose traffic_sources row last carried
-- that name (latest file, then line) and to that source's version valid at the start of the
-- day (UTC); a name no traffic_sources row ever carried resolves to its name-only member.
-- Recomputed pairs: the (day, name) pairs in the batch's marketing rows, plus every day of the
-- names whose resolution may have changed since the last successful run (names in the batch's
-- traffic_sources rows, names of changed name-only members, names of changed source ids).

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

CREATE TEMP TABLE tmp_mkt_loaded ON COMMIT DROP AS
SELECT file_id, coalesce(finished_at, started_at) AS file_time
  FROM ingest.files
 WHERE status = 'loaded';

CREATE TEMP TABLE tmp_mkt_batch ON COMMIT DROP AS
SELECT file_id FROM etl_batch_files WHERE batch_id = etl_current_batch();
ANALYZE tmp_mkt_batch;

-- name -> source id, over every name any loaded traffic_sources row carried
CREATE TEMP TABLE tmp_mkt_name_map ON COMMIT DROP AS
SELECT DISTINCT ON (s.name) s.name, s.source_id
  FROM traffic_sources s
  JOIN tmp_mkt_loaded l ON l.file_id = s.file_id
 ORDER BY s.name, l.file_time DESC, s.file_id DESC, s.line_no DESC;

CREATE TEMP TABLE tmp_mkt_renamed ON COMMIT DROP AS
SELECT s.name
  FROM traffic_sources s JOIN tmp_mkt_batch b ON b.file_id = s.file_id
UNION
SELECT substr(c.business_key, 6)
  FROM etl_dimension_changes c
 WHERE c.dimension = 'traffic_source' AND c.business_key LIKE 'name:%'
   AND c.batch_id > etl_last_succeeded_batch()
UNION
SELECT m.name
  FROM tmp_mkt_name_map m
  JOIN etl_dimension_changes c
    ON c.dimension = 'traffic_source' AND c.business_key = 'id:' || m.source_id
 WHERE c.batch_id > etl_last_succeeded_batch();

CREATE TEMP TABLE tmp_mkt_pairs ON COMMIT DROP AS
SELECT s.date, s.source_name
  FROM marketing_daily s JOIN tmp_mkt_batch b ON b.file_id = s.file_id
 WHERE dw_date_key(s.date) <> -1
UNION
SELECT d.date, f.source_name
  FROM fact_marketing_daily f
  JOIN dim_date d ON d.date_key = f.date_key
  JOIN tmp_mkt_renamed r ON r.name = f.source_name;
ANALYZE tmp_mkt_pairs;

CREATE TEMP TABLE tmp_mkt_desired ON COMMIT DROP AS
WITH sums AS (
  SELECT s.date, s.source_name,
         sum(s.ad_spend) AS ad_spend, sum(s.impressions) AS impressions,
         sum(s.clicks) AS clicks, sum(s.leads) AS leads, sum(s.revenue) AS revenue,
         count(*) AS source_rows,
         max(array[s.file_id, s.line_no]) AS lineage
    FROM marketing_daily s
    JOIN tmp_mkt_loaded l ON l.file_id = s.file_id
    JOIN tmp_mkt_pairs p ON p.date = s.date AND p.source_name = s.source_name
   GROUP BY s.date, s.source_name
)
SELECT dw_date_key(x.date) AS date_key, x.source_name,
       coalesce(
         (SELECT d.traffic_source_key
            FROM dim_traffic_source d
           WHERE d.traffic_source_key <> -1
             AND d.business_key = coalesce('id:' || m.source_id, 'name:' || x.source_name)
             AND d.valid_from <= (x.date::timestamp AT TIME ZONE 'UTC')
             AND (x.date::timestamp AT TIME ZONE 'UTC') < d.valid_to), -1) AS traffic_source_key,
       x.ad_spend, x.impressions, x.clicks, x.leads, x.revenue, x.source_rows,
       x.lineage[1] AS file_id, x.lineage[2] AS line_no
  FROM sums x
  LEFT JOIN tmp_mkt_name_map m ON m.name = x.source_name;

WITH upserted AS (
  INSERT INTO fact_marketing_daily AS f (date_key, source_name, traffic_source_key, ad_spend,
                                         impressions, clicks, leads, revenue, source_rows,
                                         file_id, line_no, inserted_batch, updated_batch)
  SELECT date_key, source_name, traffic_source_key, ad_spend, impressions, clicks, leads, revenue,
         source_rows, file_id, line_no, etl_current_batch(), etl_current_batch()
    FROM tmp_mkt_desired
  ON CONFLICT (date_key, source_name) DO UPDATE
     SET traffic_source_key = EXCLUDED.traffic_source_key,
         ad_spend = EXCLUDED.ad_spend, impressions = EXCLUDED.impressions,
         clicks = EXCLUDED.clicks, leads = EXCLUDED.leads, revenue = EXCLUDED.revenue,
         source_rows = EXCLUDED.source_rows, file_id = EXCLUDED.file_id,
         line_no = EXCLUDED.line_no, updated_batch = EXCLUDED.updated_batch
   WHERE row(f.traffic_source_key, f.ad_spend, f.impressions, f.clicks, f.leads, f.revenue,
             f.source_rows, f.file_id, f.line_no)
         IS DISTINCT FROM
         row(EXCLUDED.traffic_source_key, EXCLUDED.ad_spend, EXCLUDED.impressions,
             EXCLUDED.clicks, EXCLUDED.leads, EXCLUDED.revenue, EXCLUDED.source_rows,
             EXCLUDED.file_id, EXCLUDED.line_no)
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                unplaced, reason)
SELECT etl_current_batch(), 'course_traffic', 'fact_marketing_daily', r.staging_rows,
       (SELECT count(*) FILTER (WHERE is_insert) FROM upserted),
       (SELECT count(*) FILTER (WHERE NOT is_insert) FROM upserted),
       r.unplaced,
       CASE WHEN r.unplaced > 0 THEN 'date outside 1900-01-01..2199-12-31' END
  FROM (SELECT count(*) AS staging_rows,
               count(*) FILTER (WHERE dw_date_key(s.date) = -1) AS unplaced
          FROM marketing_daily s JOIN tmp_mkt_batch b ON b.file_id = s.file_id) r;

SELECT inserted + updated AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'fact_marketing_daily';
