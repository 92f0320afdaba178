-- --full: empty every warehouse table (and restart their surrogate keys) so the following steps
-- rebuild the warehouse from all loaded staging data; the -1 members are put back. The tables
-- are every table of the warehouse schema (the first of the step's search_path) in the catalog,
-- so a new subject's tables are emptied too and this file needs no edit for a new kind.
-- --incremental: nothing to do. Bookkeeping tables (etl_*) are never emptied.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

DO $$
DECLARE
  warehouse_tables text;
BEGIN
  IF current_setting('dp.run_mode') = 'full' THEN
    SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY c.relname)
      INTO warehouse_tables
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema()
       AND c.relkind IN ('r', 'p')
       AND NOT c.relispartition
       AND c.relname NOT LIKE 'etl\_%';
    IF warehouse_tables IS NOT NULL THEN
      EXECUTE 'TRUNCATE ' || warehouse_tables || ' RESTART IDENTITY';
    END IF;
    PERFORM dw_insert_unknown_members();
  ELSIF current_setting('dp.run_mode') <> 'incremental' THEN
    RAISE EXCEPTION 'dp.run_mode must be incremental or full, not "%"',
      current_setting('dp.run_mode');
  END IF;
END
$$;

SELECT 0::bigint AS rows_affected;
