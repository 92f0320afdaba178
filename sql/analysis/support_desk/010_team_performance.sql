-- How fast does each team assign, answer and resolve cases of each priority, against the SLA?
-- team is the team of the analyst version valid when the case was assigned (else created);
-- 'Unknown' for cases without a known analyst. priority is the case's priority id. Averages in
-- hours (2 decimals) over the cases that reached that event; pct_assigned_within_sla is the
-- percentage (1 decimal) of all the group's cases assigned within the assign SLA (a case never
-- assigned is not within it); NULL when the priority has no SLA.
CREATE OR REPLACE VIEW analysis.team_performance AS
SELECT a.team, f.priority,
       count(*) AS cases,
       round(avg(f.hours_to_assign), 2) AS avg_hours_to_assign,
       round(avg(f.hours_to_response), 2) AS avg_hours_to_response,
       round(avg(f.hours_to_resolve), 2) AS avg_hours_to_resolve,
       p.assign_sla_hours, p.response_sla_hours, p.resolve_sla_hours,
       CASE WHEN p.assign_sla_hours IS NOT NULL
            THEN round(100.0 * count(*) FILTER (WHERE f.hours_to_assign <= p.assign_sla_hours)
                       / count(*), 1)
       END AS pct_assigned_within_sla
  FROM fact_case f
  JOIN dim_analyst a ON a.analyst_key = f.analyst_key
  JOIN dim_priority p ON p.priority_key = f.priority_key
 GROUP BY a.team, f.priority, p.assign_sla_hours, p.response_sla_hours, p.resolve_sla_hours
 ORDER BY a.team, f.priority;
