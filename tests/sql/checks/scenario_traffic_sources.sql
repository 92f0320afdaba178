-- Scenario (tests/cmd/warehouse scenario A, fixtures/data): traffic_sources_channel_change.csv moves source 3
-- (VK Group) from channel social to messenger from that file's ledger time T on, and names
-- source 11 "Partner Blog", which marketing rows had before as a name-only source; source 12 is
-- known only from user_traffic; "New Podcast" only from marketing.
WITH t AS (
  SELECT coalesce(finished_at, started_at) AS change_time
    FROM ingest.files
   WHERE original_name = 'traffic_sources_channel_change.csv' AND status = 'loaded'
),
expected (business_key, source_id, source_name, channel, valid_from, valid_to) AS (
  SELECT 'id:3', 3, 'VK Group', 'social', '1900-01-01 00:00:00+00'::timestamptz, t.change_time FROM t
  UNION ALL SELECT 'id:3', 3, 'VK Group', 'messenger', t.change_time, '9999-12-31 00:00:00+00' FROM t
  UNION ALL SELECT 'id:11', 11, 'Partner Blog', 'referral', '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00'
  UNION ALL SELECT 'id:12', 12, NULL, NULL, '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00'
  UNION ALL SELECT 'name:New Podcast', NULL, 'New Podcast', 'audio', '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00'
),
actual AS (
  SELECT business_key, source_id, source_name, channel, valid_from, valid_to
    FROM dim_traffic_source
   WHERE business_key IN ('id:3', 'id:11', 'id:12', 'name:New Podcast', 'name:Partner Blog')
)
(SELECT 'expected version missing' AS problem, e.business_key, e.channel, e.valid_from::text
   FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) e)
UNION ALL
(SELECT 'unexpected version', a.business_key, a.channel, a.valid_from::text
   FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) a)
UNION ALL
SELECT 'referral points at the wrong channel', f.user_id::text, d.channel, f.referred_at::text
  FROM fact_referral f
  JOIN dim_traffic_source d ON d.traffic_source_key = f.traffic_source_key
 WHERE (f.user_id = 900002 AND d.channel IS DISTINCT FROM 'messenger')
    OR (f.user_id = 900003 AND d.channel IS DISTINCT FROM 'social')
    OR (f.user_id = 900001 AND d.business_key IS DISTINCT FROM 'id:12')
UNION ALL
SELECT 'marketing day not re-pointed to source 11', f.source_name, d.business_key, f.date_key::text
  FROM fact_marketing_daily f
  JOIN dim_traffic_source d ON d.traffic_source_key = f.traffic_source_key
 WHERE f.source_name = 'Partner Blog'
   AND (d.business_key <> 'id:11' OR f.ad_spend <> 150.50 OR f.impressions <> 1000
        OR f.source_rows <> 2)
UNION ALL
SELECT 'fixture referrals missing', NULL, NULL, count(*)::text
  FROM fact_referral WHERE user_id IN (900001, 900002, 900003)
HAVING count(*) <> 3;
