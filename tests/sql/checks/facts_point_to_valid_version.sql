-- Facts join the dimension version valid at the fact's own time: referrals at referred_at,
-- marketing days at the day's start (UTC), habit records at recorded_at (and take that version's
-- category), cases at assigned_at, else created_at, else -1.
SELECT 'fact_referral' AS fact, f.user_id || '/' || f.source_id || '/' || f.referred_at AS fact_key,
       f.traffic_source_key AS points_at
  FROM fact_referral f
  LEFT JOIN dim_traffic_source d ON d.traffic_source_key = f.traffic_source_key
 WHERE d.traffic_source_key IS NULL OR d.traffic_source_key = -1
    OR d.business_key <> 'id:' || f.source_id
    OR NOT (d.valid_from <= f.referred_at AND f.referred_at < d.valid_to)
UNION ALL
SELECT 'fact_marketing_daily', f.date_key || '/' || f.source_name, f.traffic_source_key
  FROM fact_marketing_daily f
  JOIN dim_date dd ON dd.date_key = f.date_key
  LEFT JOIN dim_traffic_source d ON d.traffic_source_key = f.traffic_source_key
 WHERE d.traffic_source_key IS NULL OR d.traffic_source_key = -1
    OR NOT (d.valid_from <= (dd.date::timestamp AT TIME ZONE 'UTC')
            AND (dd.date::timestamp AT TIME ZONE 'UTC') < d.valid_to)
UNION ALL
SELECT 'fact_habit_record', f.habit_name || '/' || f.user_id || '/' || f.recorded_at, f.habit_key
  FROM fact_habit_record f
  LEFT JOIN dim_habit h ON h.habit_key = f.habit_key
  LEFT JOIN dim_user u ON u.user_key = f.user_key
 WHERE h.habit_key IS NULL OR h.habit_key = -1 OR h.habit_name <> f.habit_name
    OR NOT (h.valid_from <= f.recorded_at AND f.recorded_at < h.valid_to)
    OR f.category_key <> h.category_key
    OR u.user_id IS DISTINCT FROM f.user_id
UNION ALL
SELECT 'fact_case', f.cid, f.analyst_key
  FROM fact_case f
  LEFT JOIN LATERAL (
    SELECT coalesce(
             (SELECT a.analyst_key FROM dim_analyst a
               WHERE a.aid = f.aid AND a.analyst_key <> -1
                 AND a.valid_from <= f.assigned_at AND f.assigned_at < a.valid_to),
             (SELECT a.analyst_key FROM dim_analyst a
               WHERE a.aid = f.aid AND a.analyst_key <> -1
                 AND a.valid_from <= f.created_at AND f.created_at < a.valid_to),
             -1) AS analyst_key) e ON true
 WHERE f.analyst_key <> e.analyst_key
    OR f.priority_key <> coalesce((SELECT p.priority_key FROM dim_priority p
                                    WHERE p.priority_id = f.priority AND p.priority_key <> -1), -1)
    OR f.product_key <> coalesce((SELECT p.product_key FROM dim_product p
                                   WHERE p.pid = f.pid AND p.product_key <> -1), -1);
