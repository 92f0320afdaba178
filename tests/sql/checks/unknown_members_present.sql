-- Every dimension has its -1 "Unknown" member.
SELECT t.dimension
  FROM (VALUES ('dim_date', EXISTS (SELECT 1 FROM dim_date WHERE date_key = -1)),
               ('dim_traffic_source', EXISTS (SELECT 1 FROM dim_traffic_source WHERE traffic_source_key = -1)),
               ('dim_job_title', EXISTS (SELECT 1 FROM dim_job_title WHERE job_title_key = -1)),
               ('dim_category', EXISTS (SELECT 1 FROM dim_category WHERE category_key = -1)),
               ('dim_habit', EXISTS (SELECT 1 FROM dim_habit WHERE habit_key = -1)),
               ('dim_user', EXISTS (SELECT 1 FROM dim_user WHERE user_key = -1)),
               ('dim_analyst', EXISTS (SELECT 1 FROM dim_analyst WHERE analyst_key = -1)),
               ('dim_product', EXISTS (SELECT 1 FROM dim_product WHERE product_key = -1)),
               ('dim_priority', EXISTS (SELECT 1 FROM dim_priority WHERE priority_key = -1)))
       AS t(dimension, present)
 WHERE NOT t.present;
