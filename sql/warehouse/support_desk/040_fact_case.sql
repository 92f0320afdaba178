-- fact_case: one row per case id, from its latest loaded extract (file, then line), with
--  * assigned_at = first 'Assigned to analyst', first_response_at = first 'Response',
--    closed_at = last 'Close' over ALL loaded log rows of the case (NULL / -1 date when none);
--  * hours_to_assign / _response / _resolve measured from created_at;
--  * analyst_key = the analyst version valid at assigned_at, else at created_at, else -1;
--  * priority_key and product_key by business key, -1 when unknown.
-- Recomputed cases: those in the batch's cases or log rows, plus the cases whose analyst,
-- product or priority changed (or appeared) since the last successful run.
-- Log rows of cases that no loaded extract contains are counted as unplaced.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- The batch's rows are found through the staging tables' BRIN indexes on file_id: the file_id
-- range of the batch is spelled out because the planner does not use a BRIN index for a join.
CREATE TEMP TABLE tmp_case_batch ON COMMIT DROP AS
SELECT file_id FROM etl_batch_files WHERE batch_id = etl_current_batch();
ANALYZE tmp_case_batch;

CREATE TEMP TABLE tmp_case_keys ON COMMIT DROP AS
SELECT s.cid FROM cases s JOIN tmp_case_batch b ON b.file_id = s.file_id
   AND s.file_id BETWEEN (SELECT min(file_id) FROM tmp_case_batch)
                     AND (SELECT max(file_id) FROM tmp_case_batch)
UNION
SELECT s.cid FROM case_logs s JOIN tmp_case_batch b ON b.file_id = s.file_id
   AND s.file_id BETWEEN (SELECT min(file_id) FROM tmp_case_batch)
                     AND (SELECT max(file_id) FROM tmp_case_batch)
UNION
-- One join per dimension (each can use its fact_case index), not one join with an OR.
SELECT f.cid
  FROM etl_dimension_changes c
  JOIN fact_case f ON f.aid = c.business_key
 WHERE c.dimension = 'analyst' AND c.batch_id > etl_last_succeeded_batch()
UNION
SELECT f.cid
  FROM etl_dimension_changes c
  JOIN fact_case f ON f.pid = c.business_key
 WHERE c.dimension = 'product' AND c.batch_id > etl_last_succeeded_batch()
UNION
SELECT f.cid
  FROM etl_dimension_changes c
  JOIN fact_case f ON f.priority::text = c.business_key
 WHERE c.dimension = 'priority' AND c.batch_id > etl_last_succeeded_batch();
ANALYZE tmp_case_keys;

CREATE TEMP TABLE tmp_case_desired ON COMMIT DROP AS
WITH latest AS (
  SELECT DISTINCT ON (s.cid) s.cid, s.priority, s.created_at, s.aid, s.pid, s.file_id, s.line_no
    FROM cases s
    JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
    JOIN tmp_case_keys k ON k.cid = s.cid
   ORDER BY s.cid, s.file_id DESC, s.line_no DESC
),
events AS (
  SELECT s.cid,
         min(s.logged_at) FILTER (WHERE s.event = 'Assigned to analyst') AS assigned_at,
         min(s.logged_at) FILTER (WHERE s.event = 'Response') AS first_response_at,
         max(s.logged_at) FILTER (WHERE s.event = 'Close') AS closed_at
    FROM case_logs s
    JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
    JOIN latest l ON l.cid = s.cid
   GROUP BY s.cid
),
facts AS (
  SELECT l.*, e.assigned_at, e.first_response_at, e.closed_at
    FROM latest l
    LEFT JOIN events e ON e.cid = l.cid
)
SELECT x.cid, x.priority, x.pid, x.aid,
       coalesce((SELECT p.priority_key FROM dim_priority p
                  WHERE p.priority_id = x.priority AND p.priority_key <> -1), -1) AS priority_key,
       coalesce((SELECT p.product_key FROM dim_product p
                  WHERE p.pid = x.pid AND p.product_key <> -1), -1) AS product_key,
       coalesce((SELECT a.analyst_key FROM dim_analyst a
                  WHERE a.aid = x.aid AND a.analyst_key <> -1
                    AND a.valid_from <= x.assigned_at AND x.assigned_at < a.valid_to),
                (SELECT a.analyst_key FROM dim_analyst a
                  WHERE a.aid = x.aid AND a.analyst_key <> -1
                    AND a.valid_from <= x.created_at AND x.created_at < a.valid_to),
                -1) AS analyst_key,
       x.created_at, x.assigned_at, x.first_response_at, x.closed_at,
       dw_date_key(x.created_at::date) AS created_date_key,
       dw_date_key(x.assigned_at::date) AS assigned_date_key,
       dw_date_key(x.first_response_at::date) AS first_response_date_key,
       dw_date_key(x.closed_at::date) AS closed_date_key,
       round(extract(epoch FROM x.assigned_at - x.created_at) / 3600, 4) AS hours_to_assign,
       round(extract(epoch FROM x.first_response_at - x.created_at) / 3600, 4)
         AS hours_to_response,
       round(extract(epoch FROM x.closed_at - x.created_at) / 3600, 4) AS hours_to_resolve,
       x.file_id, x.line_no
  FROM facts x;

WITH upserted AS (
  INSERT INTO fact_case AS f (cid, priority, pid, aid, priority_key, product_key, analyst_key,
                              created_at, assigned_at, first_response_at, closed_at,
                              created_date_key, assigned_date_key, first_response_date_key,
                              closed_date_key, hours_to_assign, hours_to_response,
                              hours_to_resolve, file_id, line_no, inserted_batch, updated_batch)
  SELECT cid, priority, pid, aid, priority_key, product_key, analyst_key, created_at, assigned_at,
         first_response_at, closed_at, created_date_key, assigned_date_key,
         first_response_date_key, closed_date_key, hours_to_assign, hours_to_response,
         hours_to_resolve, file_id, line_no, etl_current_batch(), etl_current_batch()
    FROM tmp_case_desired
  ON CONFLICT (cid) DO UPDATE
     SET priority = EXCLUDED.priority, pid = EXCLUDED.pid, aid = EXCLUDED.aid,
         priority_key = EXCLUDED.priority_key, product_key = EXCLUDED.product_key,
         analyst_key = EXCLUDED.analyst_key, created_at = EXCLUDED.created_at,
         assigned_at = EXCLUDED.assigned_at, first_response_at = EXCLUDED.first_response_at,
         closed_at = EXCLUDED.closed_at, created_date_key = EXCLUDED.created_date_key,
         assigned_date_key = EXCLUDED.assigned_date_key,
         first_response_date_key = EXCLUDED.first_response_date_key,
         closed_date_key = EXCLUDED.closed_date_key, hours_to_assign = EXCLUDED.hours_to_assign,
         hours_to_response = EXCLUDED.hours_to_response,
         hours_to_resolve = EXCLUDED.hours_to_resolve, file_id = EXCLUDED.file_id,
         line_no = EXCLUDED.line_no, updated_batch = EXCLUDED.updated_batch
   WHERE row(f.priority, f.pid, f.aid, f.priority_key, f.product_key, f.analyst_key,
             f.created_at, f.assigned_at, f.first_response_at, f.closed_at, f.file_id, f.line_no)
         IS DISTINCT FROM
         row(EXCLUDED.priority, EXCLUDED.pid, EXCLUDED.aid, EXCLUDED.priority_key,
             EXCLUDED.product_key, EXCLUDED.analyst_key, EXCLUDED.created_at,
             EXCLUDED.assigned_at, EXCLUDED.first_response_at, EXCLUDED.closed_at,
             EXCLUDED.file_id, EXCLUDED.line_no)
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated)
SELECT etl_current_batch(), 'support_desk', 'fact_case',
       (SELECT count(*) FROM cases s JOIN tmp_case_batch b ON b.file_id = s.file_id
         WHERE s.file_id BETWEEN (SELECT min(file_id) FROM tmp_case_batch)
                             AND (SELECT max(file_id) FROM tmp_case_batch)),
       count(*) FILTER (WHERE is_insert),
       count(*) FILTER (WHERE NOT is_insert)
  FROM upserted;

-- The batch's log rows: those of cases no loaded extract contains, or with an event that is
-- none of the three known ones, could not be placed.
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, unplaced, reason)
SELECT etl_current_batch(), 'support_desk', 'fact_case.logs', r.staging_rows,
       r.no_case + r.unknown_event,
       nullif(concat_ws('; ',
                CASE WHEN r.no_case > 0
                     THEN r.no_case || ' log rows of cases not in any loaded cases file' END,
                CASE WHEN r.unknown_event > 0
                     THEN r.unknown_event || ' log rows with an unknown event' END),
              '')
  FROM (SELECT count(*) AS staging_rows,
               count(*) FILTER (WHERE f.cid IS NULL) AS no_case,
               count(*) FILTER (WHERE f.cid IS NOT NULL
                                  AND s.event NOT IN ('Assigned to analyst', 'Response', 'Close'))
                 AS unknown_event
          FROM case_logs s
          JOIN tmp_case_batch b ON b.file_id = s.file_id
          LEFT JOIN fact_case f ON f.cid = s.cid) r;

SELECT sum(inserted + updated) AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target IN ('fact_case', 'fact_case.logs');
