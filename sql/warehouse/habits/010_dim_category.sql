-- dim_category: every category name a loaded habit record carries. A new category is created
-- the first time a record names it, so no record is dropped for an unknown category.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

-- The batch's rows are found through the staging tables' BRIN index on file_id: the file_id
-- range of the batch is spelled out because the planner does not use a BRIN index for a join.

WITH batch_rows AS (
  SELECT nullif(s.category_name, '') AS category_name
    FROM habit_records s
    JOIN etl_batch_files b ON b.file_id = s.file_id AND b.batch_id = etl_current_batch()
     AND s.file_id BETWEEN (SELECT min(file_id) FROM etl_batch_files
                             WHERE batch_id = etl_current_batch())
                       AND (SELECT max(file_id) FROM etl_batch_files
                             WHERE batch_id = etl_current_batch())
),
inserted AS (
  INSERT INTO dim_category (category_name, inserted_batch, updated_batch)
  SELECT DISTINCT category_name, etl_current_batch(), etl_current_batch()
    FROM batch_rows
   WHERE category_name IS NOT NULL
  ON CONFLICT (category_name) WHERE category_key <> -1 DO NOTHING
  RETURNING 1
)
INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted)
SELECT etl_current_batch(), 'habits', 'dim_category',
       (SELECT count(*) FROM batch_rows), (SELECT count(*) FROM inserted);

SELECT inserted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_category';
