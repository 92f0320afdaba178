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

-- dim_date grows on demand: every whole calendar year from p_first's to p_last's (clamped to
-- 1900..2199, the range dw_date_key supports) that is not in dim_date yet is inserted, marked
-- with the current batch; returns the days inserted (0 for a NULL bound). common/010_dim_date.sql
-- calls it for the built-in subjects' dates; a warehouse step of a new subject calls it for its
-- own dates before it writes facts, so that no shared file needs editing for a new kind.
CREATE FUNCTION dw_ensure_dates(p_first date, p_last date) RETURNS bigint
  LANGUAGE sql SET search_path FROM CURRENT
BEGIN ATOMIC
  WITH years AS (
    SELECT make_date(greatest(extract(year FROM p_first)::integer, 1900), 1, 1) AS first_day,
           make_date(least(extract(year FROM p_last)::integer, 2199), 12, 31) AS last_day
     WHERE p_first IS NOT NULL AND p_last IS NOT NULL
  ),
  days AS (
    SELECT g::date AS d
      FROM years, generate_series(years.first_day, years.last_day, interval '1 day') AS g
  ),
  inserted AS (
    INSERT INTO dim_date (date_key, date, year, quarter, quarter_name, month, month_name,
                          month_short, day_of_month, day_of_year, iso_day_of_week, day_name,
                          day_short, iso_week, iso_year, is_weekend, inserted_batch)
    SELECT dw_date_key(d), d,
           extract(year FROM d)::integer,
           extract(quarter FROM d)::integer,
           'Q' || extract(quarter FROM d),
           extract(month FROM d)::integer,
           to_char(d::timestamp, 'FMMonth'),
           to_char(d::timestamp, 'Mon'),
           extract(day FROM d)::integer,
           extract(doy FROM d)::integer,
           extract(isodow FROM d)::integer,
           to_char(d::timestamp, 'FMDay'),
           to_char(d::timestamp, 'Dy'),
           extract(week FROM d)::integer,
           extract(isoyear FROM d)::integer,
           extract(isodow FROM d) >= 6,
           etl_current_batch()
      FROM days
    ON CONFLICT (date_key) DO NOTHING
    RETURNING 1
  )
  SELECT count(*) FROM inserted;
END;
