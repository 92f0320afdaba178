-- The support team's report layout (exported as team_performance_report.csv): a first row
-- 'SLA' with the assign SLA hours of priorities 1, 2 and 3, then one row per team with the
-- average hours from creation to assignment of its assigned cases per priority (2 decimals).
-- team is the analyst's team when the case was assigned. Empty while nothing is loaded.
CREATE OR REPLACE VIEW analysis.team_performance_report AS
SELECT team, priority_1, priority_2, priority_3
  FROM (SELECT 0 AS section, 'SLA' AS team,
               round(max(p.assign_sla_hours) FILTER (WHERE p.priority_id = 1), 2) AS priority_1,
               round(max(p.assign_sla_hours) FILTER (WHERE p.priority_id = 2), 2) AS priority_2,
               round(max(p.assign_sla_hours) FILTER (WHERE p.priority_id = 3), 2) AS priority_3
          FROM dim_priority p
         WHERE p.priority_key <> -1
        HAVING count(*) > 0
        UNION ALL
        SELECT 1, a.team,
               round(avg(f.hours_to_assign) FILTER (WHERE f.priority = 1), 2),
               round(avg(f.hours_to_assign) FILTER (WHERE f.priority = 2), 2),
               round(avg(f.hours_to_assign) FILTER (WHERE f.priority = 3), 2)
          FROM fact_case f
          JOIN dim_analyst a ON a.analyst_key = f.analyst_key
         WHERE f.assigned_at IS NOT NULL
         GROUP BY a.team) r
 ORDER BY section, team;
