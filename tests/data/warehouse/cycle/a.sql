-- a: records its start, sleeps 0 s, records its end.
INSERT INTO step_log (step, started_at, batch_id, run_mode, search_path)
VALUES ('a', clock_timestamp(), current_setting('dp.batch_id'), current_setting('dp.run_mode'),
        current_setting('search_path'));
SELECT pg_sleep(0);
UPDATE step_log SET finished_at = clock_timestamp()
 WHERE step = 'a' AND batch_id = current_setting('dp.batch_id');
SELECT 1::bigint AS rows_affected;
