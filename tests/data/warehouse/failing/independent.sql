-- independent: records its start, sleeps 1.0 s, records its end.
INSERT INTO step_log (step, started_at, batch_id, run_mode, search_path)
VALUES ('independent', clock_timestamp(), current_setting('dp.batch_id'), current_setting('dp.run_mode'),
        current_setting('search_path'));
SELECT pg_sleep(1.0);
UPDATE step_log SET finished_at = clock_timestamp()
 WHERE step = 'independent' AND batch_id = current_setting('dp.batch_id');
SELECT 5::bigint AS rows_affected;
