-- Scenario: fixtures/data/cases_correction.csv, a later extract of case 61-8550_2012, changes
-- its priority from 1 to 3; the fact follows the latest extract.
SELECT f.cid, f.priority, p.priority_id
  FROM fact_case f JOIN dim_priority p ON p.priority_key = f.priority_key
 WHERE f.cid = '61-8550_2012' AND (f.priority <> 3 OR p.priority_id <> 3)
UNION ALL
SELECT '61-8550_2012', NULL, NULL
 WHERE NOT EXISTS (SELECT 1 FROM fact_case WHERE cid = '61-8550_2012');
