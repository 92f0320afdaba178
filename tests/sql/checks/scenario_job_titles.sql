-- Scenario: fixtures/data/title_data_normalization_cases.csv adds "C.E.O." (merges into the
-- sample's "ceo", pdl_count stays the larger sample value), "AUTÓNOMO" (merges into
-- "autónomo", pdl_count 99999, related titles added) and "---" (normalizes to empty: counted as
-- unplaced, never a title). Every title is normalized.
SELECT 'title not normalized' AS problem, job_title AS detail
  FROM dim_job_title
 WHERE job_title_key <> -1 AND job_title IS DISTINCT FROM dw_normalize_title(job_title)
UNION ALL
SELECT 'ceo', row(count(*), max(pdl_count))::text FROM dim_job_title WHERE job_title = 'ceo'
HAVING row(count(*), max(pdl_count)) IS DISTINCT FROM row(1::bigint, 4172319::bigint)
UNION ALL
SELECT 'autónomo', row(count(*), max(pdl_count))::text FROM dim_job_title WHERE job_title = 'autónomo'
HAVING row(count(*), max(pdl_count)) IS DISTINCT FROM row(1::bigint, 99999::bigint)
UNION ALL
SELECT 'autónomo related', r.related_title
  FROM (VALUES ('gerente general'), ('ventas'), ('emprendedor independiente'), ('manager')) r(related_title)
 WHERE NOT EXISTS (SELECT 1 FROM bridge_job_title_related b
                     JOIN dim_job_title t ON t.job_title_key = b.job_title_key
                    WHERE t.job_title = 'autónomo' AND b.related_title = r.related_title)
UNION ALL
SELECT 'empty title in the dimension', job_title
  FROM dim_job_title WHERE job_title_key <> -1 AND (job_title = '' OR job_title ~ '^-+$')
UNION ALL
SELECT 'unplaced not counted in batch ' || r.batch_id, r.target
  FROM etl_reconciliation r
 WHERE r.target IN ('dim_job_title', 'bridge_job_title_related')
   AND r.batch_id IN (SELECT bf.batch_id FROM etl_batch_files bf
                        JOIN ingest.files f ON f.file_id = bf.file_id
                       WHERE f.original_name = 'title_data_normalization_cases.csv')
   AND (r.unplaced < 1 OR r.reason NOT LIKE '%normalizes to empty%');
