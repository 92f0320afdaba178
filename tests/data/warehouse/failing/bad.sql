-- bad: fails with a database error (division by zero).
INSERT INTO step_log (step, started_at, batch_id, run_mode, search_path)
VALUES ('bad', clock_timestamp(), current_setting('dp.batch_id'), current_setting('dp.run_mode'),
        current_setting('search_path'));
SELECT 1 / 0;
