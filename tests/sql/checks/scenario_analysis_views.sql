-- Scenario: analysis views on the loaded fixtures, against values worked out by hand.
--  * user_period_summary for user 4104 (fixtures/data/habit_records_year_boundary.csv:
--    2020-12-31, 2021-01-02, 2021-01-04): ISO week 2020-W53 starts 2020-12-28 and spans the
--    year boundary; years, months and days stay apart;
--  * marketing_funnel: NULL ratios where the denominator is 0 (Partner Blog has no clicks,
--    New Podcast no leads);
--  * team_performance_report starts with the SLA row of PrioritySLA.csv (1, 3, 24 hours);
--  * manager_titles counts the distinct titles with a related value exactly "manager".
WITH expected (user_id, period, period_start, habit_name, total_duration, total_records) AS (
  VALUES (4104::bigint, 'day', '2020-12-31'::date, 'reading', 10::numeric, 1::numeric),
         (4104, 'day', '2021-01-02', 'reading', 20, 1),
         (4104, 'day', '2021-01-04', 'reading', 40, 1),
         (4104, 'week', '2020-12-28', 'reading', 30, 2),
         (4104, 'week', '2021-01-04', 'reading', 40, 1),
         (4104, 'month', '2020-12-01', 'reading', 10, 1),
         (4104, 'month', '2021-01-01', 'reading', 60, 2),
         (4104, 'year', '2020-01-01', 'reading', 10, 1),
         (4104, 'year', '2021-01-01', 'reading', 60, 2)
),
actual AS (
  SELECT user_id, period, period_start, habit_name, total_duration, total_records
    FROM analysis.user_period_summary WHERE user_id = 4104
)
(SELECT 'user_period_summary' AS problem, x.period || ' ' || x.period_start AS detail
   FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual
         UNION ALL
         SELECT * FROM actual EXCEPT SELECT * FROM expected) x)
UNION ALL
SELECT 'marketing_funnel ' || source_name,
       row(ctr, lead_rate, cost_per_lead, roas)::text
  FROM analysis.marketing_funnel
 WHERE (source_name = 'Partner Blog'
        AND row(impressions, clicks, ctr, lead_rate, cost_per_lead)
            IS DISTINCT FROM row(1000::bigint, 0::bigint, 0.0000::numeric, NULL::numeric, NULL::numeric))
    OR (source_name = 'New Podcast'
        AND row(ctr, lead_rate, cost_per_lead, roas)
            IS DISTINCT FROM row(0.0200::numeric, 0.0000::numeric, NULL::numeric, 0.0000::numeric))
UNION ALL
SELECT 'team_performance_report first row', row(r.team, r.priority_1, r.priority_2, r.priority_3)::text
  FROM (SELECT * FROM analysis.team_performance_report LIMIT 1) r
 WHERE row(r.team, r.priority_1, r.priority_2, r.priority_3)
       IS DISTINCT FROM row('SLA', 1::numeric, 3::numeric, 24::numeric)
UNION ALL
SELECT 'manager_titles', row(m.titles, m.avg_pdl_count)::text
  FROM analysis.manager_titles m
 WHERE row(m.titles, m.avg_pdl_count) IS DISTINCT FROM (
       SELECT row(count(*), round(avg(t.pdl_count)))
         FROM (SELECT dw_normalize_title(s.title) AS job_title, max(s.pdl_count) AS pdl_count
                 FROM title_data s
                 JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
                GROUP BY 1
               HAVING bool_or(EXISTS (SELECT 1 FROM unnest(s.related) v
                                       WHERE dw_normalize_title(v) = 'manager'))) t
        WHERE t.job_title IS NOT NULL);
