-- Issue 16: staging follows the kinds' declarations. When a kind file declares a column its
-- staging table lacks, the service adds it (ALTER TABLE ... ADD COLUMN, nullable: the rows
-- loaded before have no value) and records the change here, so that an operator can see when
-- and why a staging table changed shape. Removed columns and changed types are refused by the
-- service with a message saying what to do; they are never applied automatically.
CREATE TABLE ingest.staging_schema_changes (
  change_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  changed_at     timestamptz NOT NULL DEFAULT now(),
  staging_schema text NOT NULL,
  table_name     text NOT NULL,
  kind           text NOT NULL,
  kind_source    text NOT NULL,
  column_name    text NOT NULL,
  column_type    text NOT NULL,
  statement      text NOT NULL
);
