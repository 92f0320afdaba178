-- fact_case holds the latest extract of each case with the first assignment, the first response
-- and the last close from the loaded logs, and hours from creation -- computed here
-- independently from staging.
WITH latest AS (
  SELECT DISTINCT ON (s.cid) s.cid, s.priority, s.created_at, s.aid, s.pid
    FROM cases s JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
   ORDER BY s.cid, s.file_id DESC, s.line_no DESC
),
logs AS (
  SELECT DISTINCT s.logged_at, s.cid, s.event
    FROM case_logs s JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
),
expected AS (
  SELECT l.cid, l.priority, l.created_at, l.aid, l.pid,
         (SELECT logged_at FROM logs g WHERE g.cid = l.cid AND g.event = 'Assigned to analyst'
           ORDER BY logged_at LIMIT 1) AS assigned_at,
         (SELECT logged_at FROM logs g WHERE g.cid = l.cid AND g.event = 'Response'
           ORDER BY logged_at LIMIT 1) AS first_response_at,
         (SELECT logged_at FROM logs g WHERE g.cid = l.cid AND g.event = 'Close'
           ORDER BY logged_at DESC LIMIT 1) AS closed_at
    FROM latest l
),
expected_hours AS (
  SELECT e.*,
         round((extract(epoch FROM e.assigned_at) - extract(epoch FROM e.created_at)) / 3600.0, 4) AS h_assign,
         round((extract(epoch FROM e.first_response_at) - extract(epoch FROM e.created_at)) / 3600.0, 4) AS h_response,
         round((extract(epoch FROM e.closed_at) - extract(epoch FROM e.created_at)) / 3600.0, 4) AS h_resolve,
         coalesce(to_char(e.assigned_at, 'YYYYMMDD')::integer, -1) AS assigned_key,
         coalesce(to_char(e.closed_at, 'YYYYMMDD')::integer, -1) AS closed_key
    FROM expected e
)
SELECT e.cid, 'differs' AS problem
  FROM expected_hours e
  LEFT JOIN fact_case f ON f.cid = e.cid
 WHERE f.cid IS NULL
    OR row(f.priority, f.created_at, f.aid, f.pid, f.assigned_at, f.first_response_at, f.closed_at,
           f.hours_to_assign, f.hours_to_response, f.hours_to_resolve, f.assigned_date_key,
           f.closed_date_key)
       IS DISTINCT FROM
       row(e.priority, e.created_at, e.aid, e.pid, e.assigned_at, e.first_response_at,
           e.closed_at, e.h_assign, e.h_response, e.h_resolve, e.assigned_key, e.closed_key)
UNION ALL
SELECT f.cid, 'not in staging' FROM fact_case f
 WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.cid = f.cid);
