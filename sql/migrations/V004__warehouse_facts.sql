-- Warehouse facts, the job-title bridge and the daily habit aggregate.
-- Every dimension foreign key is NOT NULL and -1 when the value is missing or unmatched.
-- Foreign keys to SCD2 dimensions are ON DELETE SET DEFAULT (-1): when a run rewrites a key's
-- history it deletes versions that no longer exist, and the fact step of the same run re-points
-- those facts (it re-reads every key listed in etl_dimension_changes).
-- file_id / line_no are the lineage of the staging row a fact row came from (for aggregated
-- rows: the latest contributing row).

-- Course traffic: one row per (user, source, referred_at); a later row for the same key
-- corrects the campaign code.
CREATE TABLE fact_referral (
  user_id            bigint NOT NULL,
  source_id          integer NOT NULL,
  referred_at        timestamptz NOT NULL,
  campaign_code      text,
  traffic_source_key integer NOT NULL DEFAULT -1
                     REFERENCES dim_traffic_source (traffic_source_key) ON DELETE SET DEFAULT,
  referred_date_key  integer NOT NULL REFERENCES dim_date (date_key),
  file_id            bigint NOT NULL REFERENCES ingest.files (file_id),
  line_no            bigint NOT NULL,
  inserted_batch     bigint NOT NULL,
  updated_batch      bigint NOT NULL,
  PRIMARY KEY (user_id, source_id, referred_at)
);
CREATE INDEX fact_referral_source ON fact_referral (source_id);
CREATE INDEX fact_referral_traffic_source ON fact_referral (traffic_source_key);

-- Marketing: one row per day and source (as named in the marketing files), metrics summed
-- over that day's rows.
CREATE TABLE fact_marketing_daily (
  date_key           integer NOT NULL REFERENCES dim_date (date_key),
  source_name        text NOT NULL,
  traffic_source_key integer NOT NULL DEFAULT -1
                     REFERENCES dim_traffic_source (traffic_source_key) ON DELETE SET DEFAULT,
  ad_spend           numeric(16, 2),
  impressions        bigint,
  clicks             bigint,
  leads              bigint,
  revenue            numeric(16, 2),
  source_rows        integer NOT NULL,
  file_id            bigint NOT NULL REFERENCES ingest.files (file_id),
  line_no            bigint NOT NULL,
  inserted_batch     bigint NOT NULL,
  updated_batch      bigint NOT NULL,
  PRIMARY KEY (date_key, source_name)
);
CREATE INDEX fact_marketing_daily_source_name ON fact_marketing_daily (source_name);
CREATE INDEX fact_marketing_daily_traffic_source ON fact_marketing_daily (traffic_source_key);

-- Job titles: related titles (normalized like the titles), the distinct union over the rows
-- of a title; position is the smallest position the related title had in those rows.
CREATE TABLE bridge_job_title_related (
  job_title_key  integer NOT NULL REFERENCES dim_job_title (job_title_key) ON DELETE CASCADE,
  related_title  text NOT NULL,
  position       integer NOT NULL,
  file_id        bigint NOT NULL REFERENCES ingest.files (file_id),
  line_no        bigint NOT NULL,
  inserted_batch bigint NOT NULL,
  updated_batch  bigint NOT NULL,
  PRIMARY KEY (job_title_key, related_title)
);
CREATE INDEX bridge_job_title_related_title ON bridge_job_title_related (related_title);

-- Habits: one row per record (habit, user, second); a later row for the same record replaces
-- the earlier one. category_key is the category of the habit version valid at recorded_at.
CREATE TABLE fact_habit_record (
  habit_name        text NOT NULL,
  user_id           bigint NOT NULL,
  recorded_at       timestamptz NOT NULL,
  habit_key         integer NOT NULL DEFAULT -1
                    REFERENCES dim_habit (habit_key) ON DELETE SET DEFAULT,
  category_key      integer NOT NULL DEFAULT -1 REFERENCES dim_category (category_key),
  user_key          integer NOT NULL DEFAULT -1 REFERENCES dim_user (user_key),
  recorded_date_key integer NOT NULL REFERENCES dim_date (date_key),
  duration_minutes  numeric,
  file_id           bigint NOT NULL REFERENCES ingest.files (file_id),
  line_no           bigint NOT NULL,
  inserted_batch    bigint NOT NULL,
  updated_batch     bigint NOT NULL,
  PRIMARY KEY (habit_name, user_id, recorded_at)
);
CREATE INDEX fact_habit_record_habit ON fact_habit_record (habit_key);
CREATE INDEX fact_habit_record_user_day ON fact_habit_record (user_key, recorded_date_key);
CREATE INDEX fact_habit_record_updated_batch ON fact_habit_record (updated_batch);

-- Day x habit (version) x user x category: total minutes and record count, kept equal to the
-- aggregation of fact_habit_record (late records re-aggregate their day).
CREATE TABLE agg_daily (
  date_key               integer NOT NULL REFERENCES dim_date (date_key),
  habit_key              integer NOT NULL REFERENCES dim_habit (habit_key) ON DELETE CASCADE,
  user_key               integer NOT NULL REFERENCES dim_user (user_key),
  category_key           integer NOT NULL REFERENCES dim_category (category_key),
  total_duration_minutes numeric,
  record_count           bigint NOT NULL,
  inserted_batch         bigint NOT NULL,
  updated_batch          bigint NOT NULL,
  PRIMARY KEY (date_key, habit_key, user_key, category_key)
);
CREATE INDEX agg_daily_user_day ON agg_daily (user_key, date_key);
CREATE INDEX agg_daily_habit ON agg_daily (habit_key);

-- Support desk: one row per case (the latest extract of it), with the first assignment, first
-- response and last close from the logs; hours are measured from the case's creation.
CREATE TABLE fact_case (
  cid                     text PRIMARY KEY,
  priority                integer,
  pid                     text,
  aid                     text,
  priority_key            integer NOT NULL DEFAULT -1 REFERENCES dim_priority (priority_key),
  product_key             integer NOT NULL DEFAULT -1 REFERENCES dim_product (product_key),
  analyst_key             integer NOT NULL DEFAULT -1
                          REFERENCES dim_analyst (analyst_key) ON DELETE SET DEFAULT,
  created_at              timestamp,
  assigned_at             timestamp,
  first_response_at       timestamp,
  closed_at               timestamp,
  created_date_key        integer NOT NULL REFERENCES dim_date (date_key),
  assigned_date_key       integer NOT NULL REFERENCES dim_date (date_key),
  first_response_date_key integer NOT NULL REFERENCES dim_date (date_key),
  closed_date_key         integer NOT NULL REFERENCES dim_date (date_key),
  hours_to_assign         numeric(14, 4),
  hours_to_response       numeric(14, 4),
  hours_to_resolve        numeric(14, 4),
  file_id                 bigint NOT NULL REFERENCES ingest.files (file_id),
  line_no                 bigint NOT NULL,
  inserted_batch          bigint NOT NULL,
  updated_batch           bigint NOT NULL
);
CREATE INDEX fact_case_aid ON fact_case (aid);
CREATE INDEX fact_case_pid ON fact_case (pid);
CREATE INDEX fact_case_priority ON fact_case (priority);
CREATE INDEX fact_case_analyst ON fact_case (analyst_key);
