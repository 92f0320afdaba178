-- Scenario: fixtures/data/logs_reopened_case.csv (loaded after the case's own logs in scenario A,
-- before them in scenario B) reopens case 61-8550_2012: a later assignment, a later response and
-- a second Close on 2012-01-09 10:00. The fact keeps the first assignment and the first
-- response and takes the last Close; hours are measured from the corrected extract's created_at
-- (2012-01-02 15:40:45).
SELECT f.cid, row(f.assigned_at, f.first_response_at, f.closed_at, f.closed_date_key,
                  f.hours_to_resolve)::text AS got
  FROM fact_case f
 WHERE f.cid = '61-8550_2012'
   AND row(f.assigned_at, f.first_response_at, f.closed_at, f.closed_date_key, f.hours_to_resolve)
       IS DISTINCT FROM row('2012-01-02 16:45:58.817517'::timestamp,
                            '2012-01-02 20:06:17.501888'::timestamp,
                            '2012-01-09 10:00:00'::timestamp, 20120109, 162.3208::numeric)
UNION ALL
SELECT '61-8550_2012', 'missing'
 WHERE NOT EXISTS (SELECT 1 FROM fact_case WHERE cid = '61-8550_2012');
