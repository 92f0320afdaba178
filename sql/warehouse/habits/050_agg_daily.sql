-- agg_daily: day x habit version x user x category totals of fact_habit_record.
-- Every (day, user) with a fact row written since the last successful run is re-aggregated
-- from the facts and replaced, so records arriving late for any past day are counted, and
-- aggregate rows deleted with an obsolete habit version (ON DELETE CASCADE) come back under
-- the version their facts now point at.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- The last succeeded batch is spelled out as a literal, so that the planner estimates the
-- changed facts from the column's statistics: for a subquery's value it assumes a third of the
-- table, and its plan flipped between the updated_batch index and reading every fact (a run
-- with nothing new: 2 ms or 76 ms; a +1 % run: 52 ms or 153 ms).
DO $$
BEGIN
  EXECUTE format(
    'CREATE TEMP TABLE tmp_agg_groups ON COMMIT DROP AS
     SELECT f.recorded_date_key AS date_key, f.user_key, count(*) AS changed_facts
       FROM fact_habit_record f
      WHERE f.updated_batch > %s
      GROUP BY f.recorded_date_key, f.user_key', etl_last_succeeded_batch());
END $$;
ANALYZE tmp_agg_groups;

CREATE TEMP TABLE tmp_agg_desired ON COMMIT DROP AS
SELECT f.recorded_date_key AS date_key, f.habit_key, f.user_key, f.category_key,
       sum(f.duration_minutes) AS total_duration_minutes, count(*) AS record_count
  FROM fact_habit_record f
  JOIN tmp_agg_groups g ON g.date_key = f.recorded_date_key AND g.user_key = f.user_key
 GROUP BY f.recorded_date_key, f.habit_key, f.user_key, f.category_key;

CREATE TEMP TABLE tmp_agg_changes (change text) ON COMMIT DROP;

WITH deleted AS (
  DELETE FROM agg_daily a
   USING tmp_agg_groups g
   WHERE a.date_key = g.date_key AND a.user_key = g.user_key
     AND NOT EXISTS (SELECT 1 FROM tmp_agg_desired n
                      WHERE n.date_key = a.date_key AND n.habit_key = a.habit_key
                        AND n.user_key = a.user_key AND n.category_key = a.category_key)
  RETURNING 1
)
INSERT INTO tmp_agg_changes SELECT 'deleted' FROM deleted;

WITH upserted AS (
  INSERT INTO agg_daily AS a (date_key, habit_key, user_key, category_key,
                              total_duration_minutes, record_count, inserted_batch,
                              updated_batch)
  SELECT date_key, habit_key, user_key, category_key, total_duration_minutes, record_count,
         etl_current_batch(), etl_current_batch()
    FROM tmp_agg_desired
  ON CONFLICT (date_key, habit_key, user_key, category_key) DO UPDATE
     SET total_duration_minutes = EXCLUDED.total_duration_minutes,
         record_count = EXCLUDED.record_count, updated_batch = EXCLUDED.updated_batch
   WHERE row(a.total_duration_minutes, a.record_count)
         IS DISTINCT FROM row(EXCLUDED.total_duration_minutes, EXCLUDED.record_count)
  RETURNING (xmax = 0) AS is_insert
)
INSERT INTO tmp_agg_changes
SELECT CASE WHEN is_insert THEN 'inserted' ELSE 'updated' END FROM upserted;

INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                deleted)
SELECT etl_current_batch(), 'habits', 'agg_daily',
       (SELECT coalesce(sum(changed_facts), 0) FROM tmp_agg_groups),
       count(*) FILTER (WHERE change = 'inserted'),
       count(*) FILTER (WHERE change = 'updated'),
       count(*) FILTER (WHERE change = 'deleted')
  FROM tmp_agg_changes;

SELECT inserted + updated + deleted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'agg_daily';
