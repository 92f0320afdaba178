-- SCD2 dimensions: per business key exactly one current version, the first version starts at
-- 1900-01-01, each version ends where the next starts, and consecutive versions differ in a
-- tracked attribute.
WITH versions AS (
  SELECT 'dim_traffic_source' AS dimension, business_key, valid_from::text AS valid_from,
         valid_to::text AS valid_to, is_current, row(source_name, channel)::text AS tracked,
         valid_from = '1900-01-01 00:00:00+00' AS starts_at_origin,
         valid_from::timestamp AS vf_sort
    FROM dim_traffic_source WHERE traffic_source_key <> -1
  UNION ALL
  SELECT 'dim_habit', habit_name, valid_from::text, valid_to::text, is_current,
         category_key::text, valid_from = '1900-01-01 00:00:00+00', valid_from::timestamp
    FROM dim_habit WHERE habit_key <> -1
  UNION ALL
  SELECT 'dim_analyst', aid, valid_from::text, valid_to::text, is_current,
         row(team, skills)::text, valid_from = '1900-01-01 00:00:00', valid_from
    FROM dim_analyst WHERE analyst_key <> -1
),
ordered AS (
  SELECT v.*,
         row_number() OVER w AS version_no,
         lead(valid_from) OVER w AS next_from,
         lag(tracked) OVER w AS previous_tracked,
         count(*) FILTER (WHERE is_current) OVER (PARTITION BY dimension, business_key) AS current_rows
    FROM versions v
  WINDOW w AS (PARTITION BY dimension, business_key ORDER BY vf_sort)
)
SELECT dimension, business_key, valid_from, valid_to,
       CASE WHEN current_rows <> 1 THEN current_rows || ' current versions'
            WHEN version_no = 1 AND NOT starts_at_origin THEN 'first version does not start at 1900-01-01'
            WHEN next_from IS NOT NULL AND next_from <> valid_to THEN 'gap or overlap before ' || next_from
            WHEN next_from IS NULL AND NOT is_current THEN 'last version is not current'
            WHEN previous_tracked IS NOT DISTINCT FROM tracked AND version_no > 1 THEN 'same attributes as the previous version'
       END AS problem
  FROM ordered
 WHERE current_rows <> 1
    OR (version_no = 1 AND NOT starts_at_origin)
    OR (next_from IS NOT NULL AND next_from <> valid_to)
    OR (next_from IS NULL AND NOT is_current)
    OR (version_no > 1 AND previous_tracked IS NOT DISTINCT FROM tracked);
