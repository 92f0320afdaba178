-- flaky: its first attempt fails with a serialization failure (SQLSTATE 40001); the
-- sequence public.flaky_attempts is not rolled back, so the second attempt passes.
INSERT INTO step_log (step, started_at, batch_id, run_mode, search_path)
VALUES ('flaky', clock_timestamp(), current_setting('dp.batch_id'), current_setting('dp.run_mode'),
        current_setting('search_path'));
DO $$
BEGIN
  IF nextval('public.flaky_attempts') = 1 THEN
    RAISE EXCEPTION 'simulated serialization failure' USING ERRCODE = 'serialization_failure';
  END IF;
END
$$;
UPDATE step_log SET finished_at = clock_timestamp()
 WHERE step = 'flaky' AND batch_id = current_setting('dp.batch_id');
SELECT 3::bigint AS rows_affected;
