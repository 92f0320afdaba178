-- victim: sleeps under the marker retry-victim-marker so the test finds and terminates
-- its backend; the retried attempt then completes.
INSERT INTO step_log (step, started_at, batch_id, run_mode, search_path)
VALUES ('victim', clock_timestamp(), current_setting('dp.batch_id'), current_setting('dp.run_mode'),
        current_setting('search_path'));
SELECT pg_sleep(3) AS "retry-victim-marker";
UPDATE step_log SET finished_at = clock_timestamp()
 WHERE step = 'victim' AND batch_id = current_setting('dp.batch_id');
SELECT 11::bigint AS rows_affected;
