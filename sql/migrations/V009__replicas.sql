-- Issue 15: several replicas on one shared imports/ and one database.
--
-- 1. Which replica decided each file, and which file it was. Both columns are filled by their
--    defaults from session settings the service sets on its connections: dp.replica_id comes
--    with every connection (libpq options), dp.file_identity is set while a replica holds the
--    claim on a file (core/ingest/file_claim.cpp). Rows written before this migration, or by
--    tools that set neither, keep NULL.
ALTER TABLE ingest.files
  ADD COLUMN replica_id text DEFAULT nullif(current_setting('dp.replica_id', true), ''),
  ADD COLUMN file_identity text DEFAULT nullif(current_setting('dp.file_identity', true), '');

-- The claim holder looks here before reading a file: an outcome already committed for this
-- very file (name, inode, size, mtime, ctime) is only moved aside, never read again.
CREATE INDEX files_identity ON ingest.files (file_identity) WHERE file_identity IS NOT NULL;

-- 2. One row per replica, refreshed every few seconds while it runs: --status lists the
--    replicas seen lately and the files each holds a claim on.
CREATE TABLE ingest.replicas (
  replica_id  text PRIMARY KEY,
  host        text NOT NULL,
  pid         integer NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  stopped_at  timestamptz,
  files_read  bigint NOT NULL DEFAULT 0,
  claimed     jsonb NOT NULL DEFAULT '[]'
);
