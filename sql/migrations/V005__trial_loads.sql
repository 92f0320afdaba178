-- Trial loads (`--ingest --limit N`) read only the first N rows of a file. They must neither
-- make the whole file a "duplicate" later nor reach the warehouse, so they get their own
-- status: 'trial' rows stay in staging for inspection until a full load of the same content
-- supersedes them (their staging rows are deleted in the full load's transaction).
ALTER TABLE ingest.files DROP CONSTRAINT files_status_check;
ALTER TABLE ingest.files ADD CONSTRAINT files_status_check
  CHECK (status IN ('loading', 'loaded', 'failed', 'duplicate', 'trial', 'superseded'));
ALTER TABLE ingest.files ADD COLUMN row_limit bigint;
ALTER TABLE ingest.files ADD COLUMN superseded_by bigint REFERENCES ingest.files (file_id);
