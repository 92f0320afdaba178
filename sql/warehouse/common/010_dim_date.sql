-- dim_date covers whole calendar years, from the earliest to the latest year of any date a
-- loaded file carries (event times, marketing days, case and log times, calendar files) and
-- of the days already present. Staging only grows, so the years covered after incremental
-- runs equal the years a --full run covers. Dates outside 1900..2199 map to -1 (dw_date_key).
-- timestamptz values are taken as UTC dates whatever the session's TimeZone.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;
WITH batch AS (
  SELECT file_id FROM etl_batch_files WHERE batch_id = etl_current_batch()
),
spans (lo, hi) AS (
  SELECT min(s.referred_at AT TIME ZONE 'UTC')::date, max(s.referred_at AT TIME ZONE 'UTC')::date
    FROM user_traffic s JOIN batch b ON b.file_id = s.file_id
  UNION ALL
  SELECT min(s.date), max(s.date)
    FROM marketing_daily s JOIN batch b ON b.file_id = s.file_id
  UNION ALL
  SELECT min(s.recorded_at AT TIME ZONE 'UTC')::date, max(s.recorded_at AT TIME ZONE 'UTC')::date
    FROM habit_records s JOIN batch b ON b.file_id = s.file_id
  UNION ALL
  SELECT min(s.created_at)::date, max(s.created_at)::date
    FROM cases s JOIN batch b ON b.file_id = s.file_id
  UNION ALL
  SELECT min(s.logged_at)::date, max(s.logged_at)::date
    FROM case_logs s JOIN batch b ON b.file_id = s.file_id
  UNION ALL
  SELECT min(s.date), max(s.date)
    FROM calendar s JOIN batch b ON b.file_id = s.file_id
   WHERE s.date_key <> -1
  UNION ALL
  SELECT min(date), max(date) FROM dim_date WHERE date_key <> -1
),
years AS (
  SELECT make_date(greatest(extract(year FROM min(lo))::integer, 1900), 1, 1) AS first_day,
         make_date(least(extract(year FROM max(hi))::integer, 2199), 12, 31) AS last_day
    FROM spans
  HAVING min(lo) IS NOT NULL
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
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted)
SELECT etl_current_batch(), 'calendar', 'dim_date',
       (SELECT count(*) FROM calendar s JOIN etl_batch_files b ON b.file_id = s.file_id
         WHERE b.batch_id = etl_current_batch()),
       (SELECT count(*) FROM inserted);

SELECT inserted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_date';
