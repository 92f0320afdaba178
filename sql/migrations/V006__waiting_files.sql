-- Files the watch service keeps in imports/ and retries with backoff (database unavailable, a
-- file it may not read, an archive move that failed after the commit), with the reason, so that
-- `--status` shows why each one waits. Names are stored escaped (`\xFF` for an invalid byte).
CREATE TABLE ingest.waiting (
  name        text PRIMARY KEY,
  reason      text NOT NULL,
  since       timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  attempts    integer NOT NULL DEFAULT 1
);
