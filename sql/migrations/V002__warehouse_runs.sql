-- Warehouse bookkeeping: runs (batches), their steps, the ledger files each batch consumed,
-- per-target reconciliation counts, and the dimension business keys each batch changed.
-- Runs with search_path = "<dw_schema>", "<staging_schema>", ingest, public: unqualified
-- names land in the warehouse schema. Nothing here names a schema except ingest.

-- Job title normalization depends on Unicode-aware lower() and regex classes, which
-- PostgreSQL takes from the database's LC_CTYPE. Refuse a database where they are ASCII-only
-- instead of silently building a different dimension.
DO $$
BEGIN
  IF lower('AUTÓNOMO ДИРЕКТОР') <> 'autónomo директор'
     OR NOT ('é' ~ '^[[:alpha:]]$' AND 'д' ~ '^[[:alpha:]]$' AND '销' ~ '^[[:alpha:]]$') THEN
    RAISE EXCEPTION 'database LC_CTYPE "%" is not Unicode-aware', current_setting('lc_ctype')
      USING HINT = 'create the database with ENCODING UTF8 and a UTF-8 locale such as C.UTF-8';
  END IF;
END
$$;

-- One row per --pipeline run. batch_id is the batch every warehouse row written by the run
-- carries in inserted_batch / updated_batch.
CREATE TABLE etl_runs (
  batch_id    bigserial PRIMARY KEY,
  mode        text NOT NULL CHECK (mode IN ('incremental', 'full')),
  status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  files       integer NOT NULL DEFAULT 0,
  error       text,
  CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX etl_runs_status ON etl_runs (status, batch_id);

-- One row per step of a run; written by the runner outside the step's own transaction so a
-- failed step still leaves its row. attempts counts retries after transient errors.
CREATE TABLE etl_run_steps (
  batch_id      bigint NOT NULL REFERENCES etl_runs (batch_id),
  step          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  started_at    timestamptz,
  finished_at   timestamptz,
  duration_ms   bigint,
  rows_affected bigint,
  attempts      integer NOT NULL DEFAULT 0,
  error         text,
  PRIMARY KEY (batch_id, step)
);

-- The ledger files a batch works on. A file counts as consumed only once a run that listed it
-- succeeded, so the files of a failed run are picked up again by the next one.
CREATE TABLE etl_batch_files (
  batch_id bigint NOT NULL REFERENCES etl_runs (batch_id),
  file_id  bigint NOT NULL REFERENCES ingest.files (file_id),
  PRIMARY KEY (batch_id, file_id)
);
CREATE INDEX etl_batch_files_file ON etl_batch_files (file_id);

-- What each step did to each warehouse table: staging rows considered, rows inserted,
-- updated and deleted, and rows it could not place with the reason.
CREATE TABLE etl_reconciliation (
  batch_id     bigint NOT NULL REFERENCES etl_runs (batch_id),
  subject      text NOT NULL,
  target       text NOT NULL,
  staging_rows bigint NOT NULL DEFAULT 0,
  inserted     bigint NOT NULL DEFAULT 0,
  updated      bigint NOT NULL DEFAULT 0,
  deleted      bigint NOT NULL DEFAULT 0,
  unplaced     bigint NOT NULL DEFAULT 0,
  reason       text,
  PRIMARY KEY (batch_id, target),
  CHECK ((unplaced = 0) = (reason IS NULL))
);

-- Business keys whose versions (or membership) a dimension step changed. Fact steps re-point
-- the facts of these keys; they read the changes of every batch since the last successful run,
-- so a run that failed between a dimension step and its facts is repaired by the next run.
CREATE TABLE etl_dimension_changes (
  batch_id     bigint NOT NULL REFERENCES etl_runs (batch_id),
  dimension    text NOT NULL,
  business_key text NOT NULL,
  PRIMARY KEY (batch_id, dimension, business_key)
);
CREATE INDEX etl_dimension_changes_dimension ON etl_dimension_changes (dimension, batch_id);

-- The batch the current step belongs to (session setting dp.batch_id set by the runner).
CREATE FUNCTION etl_current_batch() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN current_setting('dp.batch_id')::bigint;

-- The newest batch whose run succeeded (0 before the first success); work since then is open.
CREATE FUNCTION etl_last_succeeded_batch() RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN (SELECT coalesce(max(batch_id), 0) FROM etl_runs WHERE status = 'succeeded');

-- YYYYMMDD key of a date inside dim_date's supported range, -1 for NULL or out of range.
CREATE FUNCTION dw_date_key(d date) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN d BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'
      THEN (extract(year FROM d) * 10000 + extract(month FROM d) * 100 + extract(day FROM d))::integer
    ELSE -1
  END;

-- Job title normalization (issue 5 item 10): NFC, Unicode lower case, characters that are
-- neither letters, digits nor white space removed, white space collapsed and trimmed.
-- NULL when nothing is left. Removal comes before collapsing so 'c. e. o.' becomes 'c e o'.
CREATE FUNCTION dw_normalize_title(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN nullif(
    btrim(regexp_replace(
      regexp_replace(lower(normalize(t, NFC)), '[^[:alnum:][:space:]]+', '', 'g'),
      '[[:space:]]+', ' ', 'g')),
    '');

-- Starts a run: marks runs left 'running' by a dead runner as failed, creates the run row and
-- fills the batch's file set. Call it while holding the pipeline advisory lock.
-- incremental: every loaded ledger file no successful run has consumed; full: every loaded file.
CREATE FUNCTION etl_begin_run(p_mode text) RETURNS bigint
  LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
DECLARE
  v_batch bigint;
  v_files integer;
BEGIN
  UPDATE etl_runs
     SET status = 'failed', finished_at = clock_timestamp(),
         error = coalesce(error, 'abandoned: the runner stopped before finishing')
   WHERE status = 'running';

  INSERT INTO etl_runs (mode) VALUES (p_mode) RETURNING batch_id INTO v_batch;

  INSERT INTO etl_batch_files (batch_id, file_id)
  SELECT v_batch, f.file_id
    FROM ingest.files f
   WHERE f.status = 'loaded'
     AND (p_mode = 'full'
          OR NOT EXISTS (SELECT 1
                           FROM etl_batch_files bf
                           JOIN etl_runs r ON r.batch_id = bf.batch_id
                          WHERE bf.file_id = f.file_id AND r.status = 'succeeded'));
  GET DIAGNOSTICS v_files = ROW_COUNT;

  UPDATE etl_runs SET files = v_files WHERE batch_id = v_batch;
  RETURN v_batch;
END
$$;

-- Ends a run: p_status is 'succeeded' or 'failed' (with the error naming the step).
CREATE FUNCTION etl_finish_run(p_batch bigint, p_status text, p_error text) RETURNS void
  LANGUAGE sql SET search_path FROM CURRENT
BEGIN ATOMIC
  UPDATE etl_runs
     SET status = p_status, finished_at = clock_timestamp(), error = p_error
   WHERE batch_id = p_batch AND status = 'running';
END;

-- Records that a step (attempt) starts; a retry of the same step bumps attempts.
CREATE FUNCTION etl_step_begin(p_batch bigint, p_step text) RETURNS void
  LANGUAGE sql SET search_path FROM CURRENT
BEGIN ATOMIC
  INSERT INTO etl_run_steps (batch_id, step, status, started_at, attempts)
  VALUES (p_batch, p_step, 'running', clock_timestamp(), 1)
  ON CONFLICT (batch_id, step) DO UPDATE
     SET status = 'running', attempts = etl_run_steps.attempts + 1, error = NULL,
         finished_at = NULL;
END;

-- Records a step's outcome: p_status 'succeeded', 'failed' or 'skipped' (a dependency failed).
CREATE FUNCTION etl_step_end(p_batch bigint, p_step text, p_status text, p_duration_ms bigint,
                             p_rows_affected bigint, p_error text) RETURNS void
  LANGUAGE sql SET search_path FROM CURRENT
BEGIN ATOMIC
  INSERT INTO etl_run_steps (batch_id, step, status, started_at, finished_at, duration_ms,
                             rows_affected, error)
  VALUES (p_batch, p_step, p_status, clock_timestamp(), clock_timestamp(), p_duration_ms,
          p_rows_affected, p_error)
  ON CONFLICT (batch_id, step) DO UPDATE
     SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at,
         duration_ms = EXCLUDED.duration_ms, rows_affected = EXCLUDED.rows_affected,
         error = EXCLUDED.error;
END;
