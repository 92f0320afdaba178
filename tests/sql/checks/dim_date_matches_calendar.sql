-- dim_date agrees with every loaded calendar file (the sample calendar.csv) on year, quarter,
-- month, ISO weekday and the month and day names, and contains each of its dates.
SELECT c.file_id, c.line_no, c.date, 'missing in dim_date' AS problem
  FROM calendar c
  JOIN ingest.files f ON f.file_id = c.file_id AND f.status = 'loaded'
 WHERE c.date_key <> -1
   AND NOT EXISTS (SELECT 1 FROM dim_date d WHERE d.date = c.date)
UNION ALL
SELECT c.file_id, c.line_no, c.date, 'differs: ' || row(d.date_key, d.year, d.quarter_name, d.month,
       d.month_name, d.month_short, d.iso_day_of_week, d.day_name, d.day_short, d.day_of_month)::text
  FROM calendar c
  JOIN ingest.files f ON f.file_id = c.file_id AND f.status = 'loaded'
  JOIN dim_date d ON d.date = c.date
 WHERE c.date_key <> -1
   AND row(d.date_key, d.year, d.quarter_name, d.month, d.month_name, d.month_short,
           d.iso_day_of_week, d.day_name, d.day_short, d.day_of_month)
       IS DISTINCT FROM
       row(c.date_key, c.year, c.quarter_name, c.month, c.month_name, c.month_short,
           c.iso_weekday, c.day_name, c.day_short, c.day_of_month);
