-- dim_analyst (SCD2 on team and skills; name and creation time type 1).
-- For every aid in the batch's analyst rows the history is recomputed from ALL loaded rows:
--  * a row of a yearly snapshot analysts_Y.csv (snapshot_year = Y) is the state from
--    Y-01-01 00:00, so a change closes the previous version at the end of Y-1;
--  * a row of a change file analysts.csv (snapshot_year NULL) is the state from its
--    updated_at (created_at when updated_at is empty; rows with neither are unplaced);
--  * an analyst missing from a later snapshot keeps the last known version (snapshots are not
--    complete rosters, so absence is no change);
--  * events at the same instant: the later file, then line wins; consecutive events with the
--    same team and skills form one version. Name and creation time come from the latest event.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

CREATE TEMP TABLE tmp_an_batch ON COMMIT DROP AS
SELECT s.aid, s.snapshot_year, s.updated_at, s.created_at
  FROM analyst_snapshots s
  JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch();

CREATE TEMP TABLE tmp_an_touched ON COMMIT DROP AS
SELECT DISTINCT aid FROM tmp_an_batch;
ANALYZE tmp_an_touched;

CREATE TEMP TABLE tmp_an_events ON COMMIT DROP AS
SELECT DISTINCT ON (x.aid, x.effective_at)
       x.aid, x.effective_at, x.name, x.team, x.skills, x.created_at
  FROM (SELECT s.aid, s.file_id, s.line_no, s.name, nullif(s.team, '') AS team,
               nullif(s.skills, '') AS skills, s.created_at,
               CASE WHEN s.snapshot_year IS NOT NULL
                      THEN make_timestamp(s.snapshot_year, 1, 1, 0, 0, 0)
                    ELSE coalesce(s.updated_at, s.created_at) END AS effective_at
          FROM analyst_snapshots s
          JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
          JOIN tmp_an_touched t ON t.aid = s.aid) x
 WHERE x.effective_at IS NOT NULL
 ORDER BY x.aid, x.effective_at, x.file_id DESC, x.line_no DESC;

CREATE TEMP TABLE tmp_an_desired ON COMMIT DROP AS
WITH marked AS (
  SELECT e.*,
         row(e.team, e.skills) IS DISTINCT FROM
           lag(row(e.team, e.skills)) OVER (PARTITION BY e.aid ORDER BY e.effective_at)
           AS opens_version
    FROM tmp_an_events e
),
versions AS (
  SELECT m.aid, m.team, m.skills, m.effective_at,
         row_number() OVER w AS version_no,
         lead(m.effective_at) OVER w AS next_at
    FROM marked m
   WHERE m.opens_version
  WINDOW w AS (PARTITION BY m.aid ORDER BY m.effective_at)
),
latest AS (
  SELECT DISTINCT ON (e.aid) e.aid, e.name, e.created_at
    FROM tmp_an_events e
   ORDER BY e.aid, e.effective_at DESC
)
SELECT v.aid, l.name AS analyst_name, v.team, v.skills, l.created_at AS analyst_created_at,
       CASE WHEN v.version_no = 1 THEN '1900-01-01 00:00:00'::timestamp
            ELSE v.effective_at END AS valid_from,
       coalesce(v.next_at, '9999-12-31 00:00:00'::timestamp) AS valid_to
  FROM versions v
  JOIN latest l ON l.aid = v.aid;

CREATE TEMP TABLE tmp_an_changes (aid text, analyst_key integer, change text) ON COMMIT DROP;

-- Versions that no longer exist (their cases fall back to -1 until 040 re-points them).
WITH deleted AS (
  DELETE FROM dim_analyst d
   USING tmp_an_touched t
   WHERE d.aid = t.aid
     AND d.analyst_key <> -1
     AND NOT EXISTS (SELECT 1 FROM tmp_an_desired n
                      WHERE n.aid = d.aid AND n.valid_from = d.valid_from)
  RETURNING d.aid, d.analyst_key
)
INSERT INTO tmp_an_changes SELECT aid, analyst_key, 'deleted' FROM deleted;

-- Close versions that stop being current first, so at no moment two versions are current.
WITH closed AS (
  UPDATE dim_analyst d
     SET valid_to = n.valid_to, team = n.team, skills = n.skills,
         updated_batch = etl_current_batch()
    FROM tmp_an_desired n
   WHERE d.aid = n.aid AND d.valid_from = n.valid_from AND d.analyst_key <> -1
     AND d.is_current AND n.valid_to <> '9999-12-31 00:00:00'
  RETURNING d.aid, d.analyst_key
)
INSERT INTO tmp_an_changes SELECT aid, analyst_key, 'updated' FROM closed;

WITH changed AS (
  UPDATE dim_analyst d
     SET valid_to = n.valid_to, team = n.team, skills = n.skills,
         updated_batch = etl_current_batch()
    FROM tmp_an_desired n
   WHERE d.aid = n.aid AND d.valid_from = n.valid_from AND d.analyst_key <> -1
     AND row(d.valid_to, d.team, d.skills) IS DISTINCT FROM row(n.valid_to, n.team, n.skills)
  RETURNING d.aid, d.analyst_key
)
INSERT INTO tmp_an_changes SELECT aid, analyst_key, 'updated' FROM changed;

-- Type 1 attributes: overwritten on every version of the analyst. Not a version change.
WITH renamed AS (
  UPDATE dim_analyst d
     SET analyst_name = n.analyst_name, analyst_created_at = n.analyst_created_at,
         updated_batch = etl_current_batch()
    FROM tmp_an_desired n
   WHERE d.aid = n.aid AND d.valid_from = n.valid_from AND d.analyst_key <> -1
     AND row(d.analyst_name, d.analyst_created_at)
         IS DISTINCT FROM row(n.analyst_name, n.analyst_created_at)
  RETURNING d.aid, d.analyst_key
)
INSERT INTO tmp_an_changes SELECT aid, analyst_key, 'renamed' FROM renamed;

WITH inserted AS (
  INSERT INTO dim_analyst (aid, analyst_name, team, skills, analyst_created_at, valid_from,
                           valid_to, inserted_batch, updated_batch)
  SELECT n.aid, n.analyst_name, n.team, n.skills, n.analyst_created_at, n.valid_from,
         n.valid_to, etl_current_batch(), etl_current_batch()
    FROM tmp_an_desired n
   WHERE NOT EXISTS (SELECT 1 FROM dim_analyst d
                      WHERE d.aid = n.aid AND d.valid_from = n.valid_from
                        AND d.analyst_key <> -1)
  RETURNING aid, analyst_key
)
INSERT INTO tmp_an_changes SELECT aid, analyst_key, 'inserted' FROM inserted;

INSERT INTO etl_dimension_changes (batch_id, dimension, business_key)
SELECT DISTINCT etl_current_batch(), 'analyst', aid FROM tmp_an_changes
 WHERE change <> 'renamed'
ON CONFLICT DO NOTHING;

INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                deleted, unplaced, reason)
SELECT etl_current_batch(), 'support_desk', 'dim_analyst', r.staging_rows,
       (SELECT count(*) FILTER (WHERE change = 'inserted') FROM tmp_an_changes),
       (SELECT count(DISTINCT analyst_key) FILTER (WHERE change IN ('updated', 'renamed'))
          FROM tmp_an_changes),
       (SELECT count(*) FILTER (WHERE change = 'deleted') FROM tmp_an_changes),
       r.unplaced,
       CASE WHEN r.unplaced > 0 THEN 'change row without updated_at or created_at' END
  FROM (SELECT count(*) AS staging_rows,
               count(*) FILTER (WHERE snapshot_year IS NULL AND updated_at IS NULL
                                  AND created_at IS NULL) AS unplaced
          FROM tmp_an_batch) r;

SELECT inserted + updated + deleted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_analyst';
