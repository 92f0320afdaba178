-- Scenario: the sample user_traffic.csv carries the key (73703, 7, 2024-04-13T22:37:24Z) twice;
-- the later row (campaign XXXX-2025-2023) corrects the earlier one. scenario A loads them in
-- different files and batches. Exactly one fact must remain, with the corrected code and the
-- later row as its lineage; and in general every key takes its latest loaded row.
WITH latest AS (
  SELECT DISTINCT ON (s.user_id, s.source_id, s.referred_at)
         s.user_id, s.source_id, s.referred_at, s.campaign_code, s.file_id, s.line_no
    FROM user_traffic s JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
   ORDER BY s.user_id, s.source_id, s.referred_at, s.file_id DESC, s.line_no DESC
)
SELECT 'corrected key' AS problem, count(*)::text AS detail
  FROM fact_referral
 WHERE user_id = 73703 AND source_id = 7 AND referred_at = '2024-04-13 22:37:24+00'
   AND campaign_code = 'XXXX-2025-2023'
HAVING count(*) <> 1
UNION ALL
SELECT 'fact differs from the latest staging row', l.user_id || '/' || l.referred_at
  FROM latest l
  LEFT JOIN fact_referral f
    ON f.user_id = l.user_id AND f.source_id = l.source_id AND f.referred_at = l.referred_at
 WHERE row(f.campaign_code, f.file_id, f.line_no)
       IS DISTINCT FROM row(l.campaign_code, l.file_id, l.line_no)
UNION ALL
SELECT 'fact count', count(*)::text FROM fact_referral
HAVING count(*) <> (SELECT count(*) FROM latest);
