-- dim_priority (type 1): for each priority id in the batch's priority_sla rows, name and SLA
-- hours from its latest loaded row (file, then line). New ids are recorded in
-- etl_dimension_changes so cases that referenced an unknown priority get re-pointed.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

CREATE TEMP TABLE tmp_prio_changes (business_key text, change text) ON COMMIT DROP;

WITH touched AS (
  SELECT DISTINCT s.id
    FROM priority_sla s
    JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
),
latest AS (
  SELECT DISTINCT ON (s.id) s.id, s.name, s.assign_sla_hours, s.response_sla_hours,
         s.resolve_sla_hours
    FROM priority_sla s
    JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
    JOIN touched t ON t.id = s.id
   ORDER BY s.id, s.file_id DESC, s.line_no DESC
),
upserted AS (
  INSERT INTO dim_priority AS d (priority_id, priority_name, assign_sla_hours,
                                 response_sla_hours, resolve_sla_hours, inserted_batch,
                                 updated_batch)
  SELECT id, name, assign_sla_hours, response_sla_hours, resolve_sla_hours,
         etl_current_batch(), etl_current_batch()
    FROM latest
  ON CONFLICT (priority_id) WHERE priority_key <> -1 DO UPDATE
     SET priority_name = EXCLUDED.priority_name, assign_sla_hours = EXCLUDED.assign_sla_hours,
         response_sla_hours = EXCLUDED.response_sla_hours,
         resolve_sla_hours = EXCLUDED.resolve_sla_hours, updated_batch = EXCLUDED.updated_batch
   WHERE row(d.priority_name, d.assign_sla_hours, d.response_sla_hours, d.resolve_sla_hours)
         IS DISTINCT FROM
         row(EXCLUDED.priority_name, EXCLUDED.assign_sla_hours, EXCLUDED.response_sla_hours,
             EXCLUDED.resolve_sla_hours)
  RETURNING d.priority_id, (xmax = 0) AS is_insert
)
INSERT INTO tmp_prio_changes
SELECT priority_id::text, CASE WHEN is_insert THEN 'inserted' ELSE 'updated' END FROM upserted;

INSERT INTO etl_dimension_changes (batch_id, dimension, business_key)
SELECT etl_current_batch(), 'priority', business_key FROM tmp_prio_changes
 WHERE change = 'inserted'
ON CONFLICT DO NOTHING;

INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated)
SELECT etl_current_batch(), 'support_desk', 'dim_priority',
       (SELECT count(*) FROM priority_sla s JOIN etl_batch_files b ON b.file_id = s.file_id
         WHERE b.batch_id = etl_current_batch()),
       count(*) FILTER (WHERE change = 'inserted'),
       count(*) FILTER (WHERE change = 'updated')
  FROM tmp_prio_changes;

SELECT inserted + updated AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_priority';
