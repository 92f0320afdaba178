-- dim_habit (SCD2 on category). For every habit in the batch's records the version history is
-- recomputed from ALL loaded records of that habit: each record with a category is an event at
-- its recorded_at (same instant: the later file, then line wins); consecutive events with the
-- same category form one version. A habit whose records never carry a category has one
-- version with the Unknown (-1) category.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- The batch's rows are found through the staging tables' BRIN index on file_id: the file_id
-- range of the batch is spelled out because the planner does not use a BRIN index for a join.

CREATE TEMP TABLE tmp_habit_touched ON COMMIT DROP AS
SELECT DISTINCT s.habit_name
  FROM habit_records s
  JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
   AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch())
                     AND (SELECT max(file_id) FROM etl_batch_files
                           WHERE batch_id = etl_current_batch());
ANALYZE tmp_habit_touched;

CREATE TEMP TABLE tmp_habit_desired ON COMMIT DROP AS
WITH events AS (
  SELECT DISTINCT ON (s.habit_name, s.recorded_at)
         s.habit_name, s.recorded_at AS effective_at, s.category_name
    FROM habit_records s
    JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
    JOIN tmp_habit_touched t ON t.habit_name = s.habit_name
   WHERE nullif(s.category_name, '') IS NOT NULL
   ORDER BY s.habit_name, s.recorded_at, s.file_id DESC, s.line_no DESC
),
marked AS (
  SELECT e.*,
         e.category_name IS DISTINCT FROM
           lag(e.category_name) OVER (PARTITION BY e.habit_name ORDER BY e.effective_at)
           AS opens_version
    FROM events e
),
versions AS (
  SELECT m.habit_name, m.category_name, m.effective_at,
         row_number() OVER w AS version_no,
         lead(m.effective_at) OVER w AS next_at
    FROM marked m
   WHERE m.opens_version
  WINDOW w AS (PARTITION BY m.habit_name ORDER BY m.effective_at)
),
desired AS (
  SELECT v.habit_name, v.category_name,
         CASE WHEN v.version_no = 1 THEN '1900-01-01 00:00:00+00'::timestamptz
              ELSE v.effective_at END AS valid_from,
         coalesce(v.next_at, '9999-12-31 00:00:00+00'::timestamptz) AS valid_to
    FROM versions v
  UNION ALL
  SELECT t.habit_name, NULL, '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00'
    FROM tmp_habit_touched t
   WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.habit_name = t.habit_name)
)
SELECT x.habit_name, coalesce(c.category_key, -1) AS category_key, x.valid_from, x.valid_to
  FROM desired x
  LEFT JOIN dim_category c ON c.category_name = x.category_name AND c.category_key <> -1;

CREATE TEMP TABLE tmp_habit_changes (habit_name text, change text) ON COMMIT DROP;

-- Versions that no longer exist (their facts fall back to -1 until 040 re-points them; their
-- aggregate rows are deleted and 050 rebuilds them).
WITH deleted AS (
  DELETE FROM dim_habit d
   USING tmp_habit_touched t
   WHERE d.habit_name = t.habit_name
     AND d.habit_key <> -1
     AND NOT EXISTS (SELECT 1 FROM tmp_habit_desired n
                      WHERE n.habit_name = d.habit_name AND n.valid_from = d.valid_from)
  RETURNING d.habit_name
)
INSERT INTO tmp_habit_changes SELECT habit_name, 'deleted' FROM deleted;

-- Close versions that stop being current first, so at no moment two versions are current.
WITH closed AS (
  UPDATE dim_habit d
     SET valid_to = n.valid_to, category_key = n.category_key,
         updated_batch = etl_current_batch()
    FROM tmp_habit_desired n
   WHERE d.habit_name = n.habit_name AND d.valid_from = n.valid_from AND d.habit_key <> -1
     AND d.is_current AND n.valid_to <> '9999-12-31 00:00:00+00'
  RETURNING d.habit_name
)
INSERT INTO tmp_habit_changes SELECT habit_name, 'updated' FROM closed;

WITH changed AS (
  UPDATE dim_habit d
     SET valid_to = n.valid_to, category_key = n.category_key,
         updated_batch = etl_current_batch()
    FROM tmp_habit_desired n
   WHERE d.habit_name = n.habit_name AND d.valid_from = n.valid_from AND d.habit_key <> -1
     AND row(d.valid_to, d.category_key) IS DISTINCT FROM row(n.valid_to, n.category_key)
  RETURNING d.habit_name
)
INSERT INTO tmp_habit_changes SELECT habit_name, 'updated' FROM changed;

WITH inserted AS (
  INSERT INTO dim_habit (habit_name, category_key, valid_from, valid_to, inserted_batch,
                         updated_batch)
  SELECT n.habit_name, n.category_key, n.valid_from, n.valid_to,
         etl_current_batch(), etl_current_batch()
    FROM tmp_habit_desired n
   WHERE NOT EXISTS (SELECT 1 FROM dim_habit d
                      WHERE d.habit_name = n.habit_name AND d.valid_from = n.valid_from
                        AND d.habit_key <> -1)
  RETURNING habit_name
)
INSERT INTO tmp_habit_changes SELECT habit_name, 'inserted' FROM inserted;

INSERT INTO etl_dimension_changes (batch_id, dimension, business_key)
SELECT DISTINCT etl_current_batch(), 'habit', habit_name FROM tmp_habit_changes
ON CONFLICT DO NOTHING;

INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                deleted)
SELECT etl_current_batch(), 'habits', 'dim_habit',
       (SELECT count(*) FROM habit_records s JOIN etl_batch_files b ON b.file_id = s.file_id
         WHERE b.batch_id = etl_current_batch()
           AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                                   WHERE batch_id = etl_current_batch())
                             AND (SELECT max(file_id) FROM etl_batch_files
                                   WHERE batch_id = etl_current_batch())),
       count(*) FILTER (WHERE change = 'inserted'),
       count(*) FILTER (WHERE change = 'updated'),
       count(*) FILTER (WHERE change = 'deleted')
  FROM tmp_habit_changes;

SELECT inserted + updated + deleted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_habit';
