-- --full: empty every warehouse table (and restart their surrogate keys) so the following steps
-- rebuild the warehouse from all loaded staging data; the -1 members are put back.
-- --incremental: nothing to do. Bookkeeping tables (etl_*) are never emptied.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

DO $$
BEGIN
  IF current_setting('dp.run_mode') = 'full' THEN
    TRUNCATE fact_referral, fact_marketing_daily, bridge_job_title_related, fact_habit_record,
             agg_daily, fact_case, dim_traffic_source, dim_job_title, dim_habit, dim_category,
             dim_user, dim_analyst, dim_product, dim_priority, dim_date, job_title_source_rows
      RESTART IDENTITY;
    PERFORM dw_insert_unknown_members();
  ELSIF current_setting('dp.run_mode') <> 'incremental' THEN
    RAISE EXCEPTION 'dp.run_mode must be incremental or full, not "%"',
      current_setting('dp.run_mode');
  END IF;
END
$$;

SELECT 0::bigint AS rows_affected;
