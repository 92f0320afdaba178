-- dim_traffic_source (SCD2 on name and channel).
-- The business keys the batch touches are recomputed from ALL loaded staging rows and the
-- dimension is made equal to that result, so the order in which files arrive does not matter.
--  * A source id with traffic_sources rows: one event per ledger file that lists it, at the
--    file's load time (traffic_sources files carry no time of their own); within a file the
--    last line wins. Consecutive events with the same name and channel form one version.
--  * A source id seen only in user_traffic files: one version with name and channel unknown.
--  * A source name seen only in marketing files (no traffic_sources row ever had that name):
--    one version keyed by the name, channel from its latest marketing row.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

CREATE TEMP TABLE tmp_ts_loaded ON COMMIT DROP AS
SELECT file_id, coalesce(finished_at, started_at) AS file_time
  FROM ingest.files
 WHERE status = 'loaded';

CREATE TEMP TABLE tmp_ts_batch ON COMMIT DROP AS
SELECT file_id FROM etl_batch_files WHERE batch_id = etl_current_batch();
ANALYZE tmp_ts_batch;

CREATE TEMP TABLE tmp_ts_ids ON COMMIT DROP AS
SELECT s.source_id FROM traffic_sources s JOIN tmp_ts_batch b ON b.file_id = s.file_id
UNION
SELECT s.source_id FROM user_traffic s JOIN tmp_ts_batch b ON b.file_id = s.file_id;

CREATE TEMP TABLE tmp_ts_names ON COMMIT DROP AS
SELECT s.name FROM traffic_sources s JOIN tmp_ts_batch b ON b.file_id = s.file_id
UNION
SELECT s.source_name FROM marketing_daily s JOIN tmp_ts_batch b ON b.file_id = s.file_id;

CREATE TEMP TABLE tmp_ts_scope ON COMMIT DROP AS
SELECT 'id:' || source_id AS business_key FROM tmp_ts_ids
UNION
SELECT 'name:' || name FROM tmp_ts_names;

CREATE TEMP TABLE tmp_ts_desired ON COMMIT DROP AS
WITH events AS (
  SELECT DISTINCT ON (s.source_id, l.file_time)
         s.source_id, l.file_time AS effective_at, s.name, s.channel
    FROM traffic_sources s
    JOIN tmp_ts_loaded l ON l.file_id = s.file_id
    JOIN tmp_ts_ids i ON i.source_id = s.source_id
   ORDER BY s.source_id, l.file_time, s.file_id DESC, s.line_no DESC
),
marked AS (
  SELECT e.*,
         row(e.name, e.channel) IS DISTINCT FROM
           lag(row(e.name, e.channel)) OVER (PARTITION BY e.source_id ORDER BY e.effective_at)
           AS opens_version
    FROM events e
),
versions AS (
  SELECT m.source_id, m.name, m.channel, m.effective_at,
         row_number() OVER w AS version_no,
         lead(m.effective_at) OVER w AS next_at
    FROM marked m
   WHERE m.opens_version
  WINDOW w AS (PARTITION BY m.source_id ORDER BY m.effective_at)
)
SELECT 'id:' || v.source_id AS business_key, v.source_id, v.name AS source_name, v.channel,
       CASE WHEN v.version_no = 1 THEN '1900-01-01 00:00:00+00'::timestamptz
            ELSE v.effective_at END AS valid_from,
       coalesce(v.next_at, '9999-12-31 00:00:00+00'::timestamptz) AS valid_to
  FROM versions v
UNION ALL
SELECT 'id:' || i.source_id, i.source_id, NULL, NULL,
       '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00'
  FROM tmp_ts_ids i
 WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.source_id = i.source_id)
UNION ALL
(SELECT DISTINCT ON (m.source_name)
        'name:' || m.source_name, NULL, m.source_name, m.channel_type,
        '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00'
   FROM marketing_daily m
   JOIN tmp_ts_loaded l ON l.file_id = m.file_id
   JOIN tmp_ts_names n ON n.name = m.source_name
  WHERE NOT EXISTS (SELECT 1
                      FROM traffic_sources s JOIN tmp_ts_loaded l2 ON l2.file_id = s.file_id
                     WHERE s.name = m.source_name)
  ORDER BY m.source_name, m.date DESC, m.file_id DESC, m.line_no DESC);

CREATE TEMP TABLE tmp_ts_changes (business_key text, change text) ON COMMIT DROP;

-- Versions that no longer exist (facts pointing at them fall back to -1 until the fact steps
-- of this run re-point them).
WITH deleted AS (
  DELETE FROM dim_traffic_source d
   USING tmp_ts_scope s
   WHERE d.business_key = s.business_key
     AND d.traffic_source_key <> -1
     AND NOT EXISTS (SELECT 1 FROM tmp_ts_desired n
                      WHERE n.business_key = d.business_key AND n.valid_from = d.valid_from)
  RETURNING d.business_key
)
INSERT INTO tmp_ts_changes SELECT business_key, 'deleted' FROM deleted;

-- Close versions that stop being current first, so at no moment two versions are current.
WITH closed AS (
  UPDATE dim_traffic_source d
     SET valid_to = n.valid_to, source_name = n.source_name, channel = n.channel,
         updated_batch = etl_current_batch()
    FROM tmp_ts_desired n
   WHERE d.business_key = n.business_key AND d.valid_from = n.valid_from
     AND d.traffic_source_key <> -1
     AND d.is_current AND n.valid_to <> '9999-12-31 00:00:00+00'
  RETURNING d.business_key
)
INSERT INTO tmp_ts_changes SELECT business_key, 'updated' FROM closed;

WITH changed AS (
  UPDATE dim_traffic_source d
     SET valid_to = n.valid_to, source_name = n.source_name, channel = n.channel,
         updated_batch = etl_current_batch()
    FROM tmp_ts_desired n
   WHERE d.business_key = n.business_key AND d.valid_from = n.valid_from
     AND d.traffic_source_key <> -1
     AND row(d.valid_to, d.source_name, d.channel)
         IS DISTINCT FROM row(n.valid_to, n.source_name, n.channel)
  RETURNING d.business_key
)
INSERT INTO tmp_ts_changes SELECT business_key, 'updated' FROM changed;

WITH inserted AS (
  INSERT INTO dim_traffic_source (source_id, source_name, channel, valid_from, valid_to,
                                  inserted_batch, updated_batch)
  SELECT n.source_id, n.source_name, n.channel, n.valid_from, n.valid_to,
         etl_current_batch(), etl_current_batch()
    FROM tmp_ts_desired n
   WHERE NOT EXISTS (SELECT 1 FROM dim_traffic_source d
                      WHERE d.business_key = n.business_key AND d.valid_from = n.valid_from
                        AND d.traffic_source_key <> -1)
  RETURNING business_key
)
INSERT INTO tmp_ts_changes SELECT business_key, 'inserted' FROM inserted;

INSERT INTO etl_dimension_changes (batch_id, dimension, business_key)
SELECT DISTINCT etl_current_batch(), 'traffic_source', business_key FROM tmp_ts_changes
ON CONFLICT DO NOTHING;

INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                deleted)
SELECT etl_current_batch(), 'course_traffic', 'dim_traffic_source',
       (SELECT count(*) FROM traffic_sources s JOIN tmp_ts_batch b ON b.file_id = s.file_id),
       count(*) FILTER (WHERE change = 'inserted'),
       count(*) FILTER (WHERE change = 'updated'),
       count(*) FILTER (WHERE change = 'deleted')
  FROM tmp_ts_changes;

SELECT inserted + updated + deleted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_traffic_source';
