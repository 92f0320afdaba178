-- Nothing is silently dropped: every business key of a loaded staging row reaches its
-- warehouse table (except the documented unplaced rows: titles that normalize to empty, marketing
-- dates outside 1900..2199, analyst change rows without a time), and no warehouse row comes from a
-- file that is not loaded. Products are checked by dim_product_grain.sql: every product (level 3
-- and below) is a member; lines and groups are columns of their products, not members.
WITH loaded AS (SELECT file_id FROM ingest.files WHERE status = 'loaded')
SELECT 'user_traffic' AS staging, s.file_id, s.line_no
  FROM user_traffic s JOIN loaded USING (file_id)
 WHERE NOT EXISTS (SELECT 1 FROM fact_referral f WHERE f.user_id = s.user_id
                      AND f.source_id = s.source_id AND f.referred_at = s.referred_at)
    OR NOT EXISTS (SELECT 1 FROM dim_traffic_source d WHERE d.business_key = 'id:' || s.source_id)
UNION ALL
SELECT 'traffic_sources', s.file_id, s.line_no
  FROM traffic_sources s JOIN loaded USING (file_id)
 WHERE NOT EXISTS (SELECT 1 FROM dim_traffic_source d WHERE d.business_key = 'id:' || s.source_id)
UNION ALL
SELECT 'marketing_daily', s.file_id, s.line_no
  FROM marketing_daily s JOIN loaded USING (file_id)
 WHERE dw_date_key(s.date) <> -1
   AND NOT EXISTS (SELECT 1 FROM fact_marketing_daily f
                    WHERE f.date_key = dw_date_key(s.date) AND f.source_name = s.source_name)
UNION ALL
SELECT 'title_data', s.file_id, s.line_no
  FROM title_data s JOIN loaded USING (file_id)
 WHERE dw_normalize_title(s.title) IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM dim_job_title d WHERE d.job_title = dw_normalize_title(s.title))
UNION ALL
SELECT 'habit_records', s.file_id, s.line_no
  FROM habit_records s JOIN loaded USING (file_id)
 WHERE NOT EXISTS (SELECT 1 FROM fact_habit_record f WHERE f.habit_name = s.habit_name
                      AND f.user_id = s.user_id AND f.recorded_at = s.recorded_at)
    OR NOT EXISTS (SELECT 1 FROM dim_user u WHERE u.user_id = s.user_id)
    OR (nullif(s.category_name, '') IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM dim_category c WHERE c.category_name = s.category_name))
UNION ALL
SELECT 'analyst_snapshots', s.file_id, s.line_no
  FROM analyst_snapshots s JOIN loaded USING (file_id)
 WHERE (s.snapshot_year IS NOT NULL OR s.updated_at IS NOT NULL OR s.created_at IS NOT NULL)
   AND NOT EXISTS (SELECT 1 FROM dim_analyst a WHERE a.aid = s.aid)
UNION ALL
SELECT 'cases', s.file_id, s.line_no
  FROM cases s JOIN loaded USING (file_id)
 WHERE NOT EXISTS (SELECT 1 FROM fact_case f WHERE f.cid = s.cid)
UNION ALL
SELECT 'priority_sla', s.file_id, s.line_no
  FROM priority_sla s JOIN loaded USING (file_id)
 WHERE NOT EXISTS (SELECT 1 FROM dim_priority p WHERE p.priority_id = s.id)
UNION ALL
SELECT 'lineage:' || x.fact, x.file_id, x.line_no
  FROM (SELECT 'fact_referral' AS fact, file_id, line_no FROM fact_referral
        UNION ALL SELECT 'fact_marketing_daily', file_id, line_no FROM fact_marketing_daily
        UNION ALL SELECT 'fact_habit_record', file_id, line_no FROM fact_habit_record
        UNION ALL SELECT 'fact_case', file_id, line_no FROM fact_case
        UNION ALL SELECT 'bridge_job_title_related', file_id, line_no FROM bridge_job_title_related) x
 WHERE NOT EXISTS (SELECT 1 FROM loaded l WHERE l.file_id = x.file_id);
