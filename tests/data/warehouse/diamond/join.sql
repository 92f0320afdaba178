-- join: records its start and end, and reconciliation counts for a made-up table, as real
-- steps do (10 staging rows: 7 inserted, 2 updated, 1 unplaced).
INSERT INTO step_log (step, started_at, batch_id, run_mode, search_path)
VALUES ('join', clock_timestamp(), current_setting('dp.batch_id'), current_setting('dp.run_mode'),
        current_setting('search_path'));
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                unplaced, reason)
VALUES (etl_current_batch(), 'demo', 'demo_table', 10, 7, 2, 1, 'no matching key');
UPDATE step_log SET finished_at = clock_timestamp()
 WHERE step = 'join' AND batch_id = current_setting('dp.batch_id');
SELECT 4::bigint AS rows_affected;
