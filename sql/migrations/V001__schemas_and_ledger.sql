-- The service's schemas and the load ledger. Schema names come from the settings
-- staging_schema and dw_schema (passed as dp.* session settings, quoted with %I).
DO $$
BEGIN
  EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', current_setting('dp.staging_schema'));
  EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', current_setting('dp.dw_schema'));
END
$$;

CREATE SCHEMA IF NOT EXISTS ingest;
CREATE SCHEMA IF NOT EXISTS analysis;

-- One row per file the service has decided about. The content hash, not the name, says
-- whether a file was seen before: the same bytes under a new name are a duplicate.
CREATE TABLE ingest.files (
  file_id       bigserial PRIMARY KEY,
  sha256        text NOT NULL,
  original_name text NOT NULL,
  size_bytes    bigint NOT NULL,
  pipeline      text,
  status        text NOT NULL CHECK (status IN ('loading', 'loaded', 'failed', 'duplicate')),
  rows_loaded   bigint NOT NULL DEFAULT 0,
  rows_rejected bigint NOT NULL DEFAULT 0,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  error         text,
  duplicate_of  bigint REFERENCES ingest.files (file_id)
);

-- At most one successful load per content: a concurrent second load of the same bytes waits
-- for the first and then becomes a duplicate.
CREATE UNIQUE INDEX files_one_load_per_content ON ingest.files (sha256)
  WHERE status IN ('loading', 'loaded');
CREATE INDEX files_started_at ON ingest.files (started_at);
CREATE INDEX files_status ON ingest.files (status);

-- Rows of a file that could not be loaded, each with its position and reason.
CREATE TABLE ingest.rejects (
  file_id     bigint NOT NULL REFERENCES ingest.files (file_id) ON DELETE CASCADE,
  line        bigint NOT NULL,
  byte_offset bigint,
  column_name text,
  value       text,
  reason      text NOT NULL,
  message     text NOT NULL,
  raw_line    text
);
CREATE INDEX rejects_file ON ingest.rejects (file_id, line);
