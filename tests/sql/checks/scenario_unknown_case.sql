-- Scenario: case ZZ-1_2014 (fixtures/data/cases_unknown_analyst_no_logs.csv) has an unknown
-- analyst, product and priority and no log rows: it still loads, with -1 keys and no hours.
SELECT cid, row(priority_key, product_key, analyst_key, created_date_key, assigned_date_key,
                first_response_date_key, closed_date_key, hours_to_assign, hours_to_response,
                hours_to_resolve)::text AS got
  FROM fact_case
 WHERE cid = 'ZZ-1_2014'
   AND row(priority_key, product_key, analyst_key, created_date_key, assigned_date_key,
           first_response_date_key, closed_date_key, hours_to_assign, hours_to_response,
           hours_to_resolve)
       IS DISTINCT FROM row(-1, -1, -1, 20140601, -1, -1, -1, NULL::numeric, NULL::numeric,
                            NULL::numeric)
UNION ALL
SELECT 'ZZ-1_2014', 'missing'
 WHERE NOT EXISTS (SELECT 1 FROM fact_case WHERE cid = 'ZZ-1_2014');
