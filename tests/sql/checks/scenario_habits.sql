-- Scenario (fixtures/data/habit_records_late_and_recategorized.csv, loaded in a later batch):
--  * late records for 2023-09-16 re-aggregate that day: user 4101 coding = 30 + 45 minutes in
--    2 records, running = 25 (corrected from 20 by a later row for the same record) + 15;
--  * yoga moves from sport to mind at 2023-09-25 00:00 UTC: two versions, records before and
--    after point at the right one and carry its category;
--  * chess (new habit) with games (new category) and walking (no category, -1) are created;
--  * user 4101 takes the names of the latest record (type 1).
WITH expected_agg (day, habit_name, user_id, total, records) AS (
  VALUES ('2023-09-16'::date, 'coding', 4101::bigint, 75::numeric, 2::bigint),
         ('2023-09-16', 'running', 4101, 40, 2),
         ('2023-09-25', 'yoga', 4102, 60, 1),
         ('2023-09-25', 'chess', 4103, 30, 1),
         ('2023-09-26', 'walking', 4101, 25, 1)
),
actual_agg AS (
  SELECT d.date AS day, h.habit_name, u.user_id, sum(a.total_duration_minutes) AS total,
         sum(a.record_count) AS records
    FROM agg_daily a
    JOIN dim_date d ON d.date_key = a.date_key
    JOIN dim_habit h ON h.habit_key = a.habit_key
    JOIN dim_user u ON u.user_key = a.user_key
   GROUP BY 1, 2, 3
),
expected_versions (habit_name, category_name, valid_from, valid_to) AS (
  VALUES ('yoga', 'sport', '1900-01-01 00:00:00+00'::timestamptz, '2023-09-25 00:00:00+00'::timestamptz),
         ('yoga', 'mind', '2023-09-25 00:00:00+00', '9999-12-31 00:00:00+00'),
         ('chess', 'games', '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00'),
         ('walking', 'Unknown', '1900-01-01 00:00:00+00', '9999-12-31 00:00:00+00')
),
actual_versions AS (
  SELECT h.habit_name, c.category_name, h.valid_from, h.valid_to
    FROM dim_habit h JOIN dim_category c ON c.category_key = h.category_key
   WHERE h.habit_name IN ('yoga', 'chess', 'walking')
)
SELECT 'agg_daily' AS problem, e.day::text || ' ' || e.habit_name AS detail
  FROM expected_agg e
 WHERE NOT EXISTS (SELECT 1 FROM actual_agg a WHERE row(a.*) = row(e.*))
UNION ALL
(SELECT 'dim_habit', x.habit_name || ' ' || x.category_name || ' ' || x.valid_from
   FROM (SELECT * FROM expected_versions EXCEPT SELECT * FROM actual_versions
         UNION ALL
         SELECT * FROM actual_versions EXCEPT SELECT * FROM expected_versions) x)
UNION ALL
SELECT 'yoga record category', f.recorded_at::text
  FROM fact_habit_record f JOIN dim_category c ON c.category_key = f.category_key
 WHERE f.habit_name = 'yoga'
   AND c.category_name <> CASE WHEN f.recorded_at < '2023-09-25 00:00:00+00' THEN 'sport' ELSE 'mind' END
UNION ALL
SELECT 'dim_user 4101', row(username, last_name, is_premium)::text
  FROM dim_user
 WHERE user_id = 4101
   AND row(username, last_name, is_premium) IS DISTINCT FROM row('olga_i', 'Ivanova', true)
UNION ALL
SELECT 'dim_category games', NULL
 WHERE NOT EXISTS (SELECT 1 FROM dim_category WHERE category_name = 'games');
