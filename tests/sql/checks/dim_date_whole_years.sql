-- dim_date is made of whole, gap-free calendar years (plus the -1 row), its attributes agree
-- with PostgreSQL's calendar functions, and the -1 row is the unknown date.
WITH bounds AS (
  SELECT min(date) AS lo, max(date) AS hi, count(*) AS days FROM dim_date WHERE date_key <> -1
)
SELECT 'range' AS problem, lo::text AS detail FROM bounds
 WHERE lo IS NOT NULL
   AND (extract(doy FROM lo) <> 1 OR to_char(hi, 'MM-DD') <> '12-31' OR days <> hi - lo + 1)
UNION ALL
SELECT 'attributes', date::text FROM dim_date
 WHERE date_key <> -1
   AND row(year, quarter, month, day_of_month, day_of_year, iso_day_of_week, iso_week, iso_year,
           is_weekend)
       IS DISTINCT FROM
       row(extract(year FROM date)::integer, extract(quarter FROM date)::integer,
           extract(month FROM date)::integer, extract(day FROM date)::integer,
           extract(doy FROM date)::integer, extract(isodow FROM date)::integer,
           extract(week FROM date)::integer, extract(isoyear FROM date)::integer,
           extract(isodow FROM date) IN (6, 7))
UNION ALL
SELECT 'unknown row', NULL FROM dim_date
 WHERE date_key = -1 AND (date IS NOT NULL OR day_name <> 'Unknown');
