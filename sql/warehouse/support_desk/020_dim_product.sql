-- dim_product (type 1): one row per product, with its product group and product line as
-- columns. When the batch holds products rows, every product is recomputed from ALL loaded
-- products rows (latest row per pid by file, then line) and the hierarchy is walked from the
-- product lines (parent_pid NULL) down: level 1 product line, level 2 product group, level 3
-- product (deeper levels are products too and keep the group of level 2). Lines and groups are
-- columns, not members. A node whose chain does not reach a product line (parent not loaded
-- yet, or a cycle) is not a member until it does; a member that stops being a product (moved
-- up the hierarchy, or cut off from its line) is deleted, and the cases that pointed at it point
-- at -1 (the foreign key sets the default). New pids are recorded in etl_dimension_changes so
-- cases that referenced an unknown product get re-pointed.

-- JIT compilation costs more than it saves on these statements (their row estimates
-- are often far off, which triggers it); the setting ends with the step's transaction.
SET LOCAL jit = off;

CREATE TEMP TABLE tmp_prod_latest ON COMMIT DROP AS
SELECT DISTINCT ON (s.pid) s.pid, s.name, nullif(s.parent_pid, '') AS parent_pid
  FROM products s
  JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
 WHERE EXISTS (SELECT 1 FROM products p
                 JOIN etl_batch_files b ON b.file_id = p.file_id
                WHERE b.batch_id = etl_current_batch())
 ORDER BY s.pid, s.file_id DESC, s.line_no DESC;
ANALYZE tmp_prod_latest;

CREATE TEMP TABLE tmp_prod_desired ON COMMIT DROP AS
WITH RECURSIVE tree (pid, hierarchy_level, product_line_pid, product_group_pid) AS (
  SELECT pid, 1, pid, NULL::text
    FROM tmp_prod_latest
   WHERE parent_pid IS NULL
  UNION ALL
  SELECT c.pid, t.hierarchy_level + 1, t.product_line_pid,
         CASE WHEN t.hierarchy_level = 1 THEN c.pid ELSE t.product_group_pid END
    FROM tree t
    JOIN tmp_prod_latest c ON c.parent_pid = t.pid
   WHERE t.hierarchy_level < 50
)
SELECT p.pid, p.name AS product_name,
       t.product_group_pid, g.name AS product_group_name,
       t.product_line_pid, l.name AS product_line_name
  FROM tmp_prod_latest p
  JOIN tree t ON t.pid = p.pid AND t.hierarchy_level >= 3
  JOIN tmp_prod_latest g ON g.pid = t.product_group_pid
  JOIN tmp_prod_latest l ON l.pid = t.product_line_pid;

CREATE TEMP TABLE tmp_prod_changes (business_key text, change text) ON COMMIT DROP;

-- Only when the batch holds products rows (tmp_prod_latest then holds every loaded node).
WITH deleted AS (
  DELETE FROM dim_product d
   WHERE d.product_key <> -1
     AND EXISTS (SELECT 1 FROM tmp_prod_latest)
     AND NOT EXISTS (SELECT 1 FROM tmp_prod_desired p WHERE p.pid = d.pid)
  RETURNING d.pid
)
INSERT INTO tmp_prod_changes SELECT pid, 'deleted' FROM deleted;

WITH upserted AS (
  INSERT INTO dim_product AS d (pid, product_name, product_group_pid, product_group_name,
                                product_line_pid, product_line_name, inserted_batch,
                                updated_batch)
  SELECT pid, product_name, product_group_pid, product_group_name,
         product_line_pid, product_line_name, etl_current_batch(), etl_current_batch()
    FROM tmp_prod_desired
  ON CONFLICT (pid) WHERE product_key <> -1 DO UPDATE
     SET product_name = EXCLUDED.product_name,
         product_group_pid = EXCLUDED.product_group_pid,
         product_group_name = EXCLUDED.product_group_name,
         product_line_pid = EXCLUDED.product_line_pid,
         product_line_name = EXCLUDED.product_line_name,
         updated_batch = EXCLUDED.updated_batch
   WHERE row(d.product_name, d.product_group_pid, d.product_group_name, d.product_line_pid,
             d.product_line_name)
         IS DISTINCT FROM
         row(EXCLUDED.product_name, EXCLUDED.product_group_pid, EXCLUDED.product_group_name,
             EXCLUDED.product_line_pid, EXCLUDED.product_line_name)
  RETURNING d.pid, (xmax = 0) AS is_insert
)
INSERT INTO tmp_prod_changes
SELECT pid, CASE WHEN is_insert THEN 'inserted' ELSE 'updated' END FROM upserted;

INSERT INTO etl_dimension_changes (batch_id, dimension, business_key)
SELECT etl_current_batch(), 'product', business_key FROM tmp_prod_changes
 WHERE change = 'inserted'
ON CONFLICT DO NOTHING;

INSERT INTO etl_reconciliation (batch_id, subject, target, staging_rows, inserted, updated,
                                deleted)
SELECT etl_current_batch(), 'support_desk', 'dim_product',
       (SELECT count(*) FROM products s JOIN etl_batch_files b ON b.file_id = s.file_id
         WHERE b.batch_id = etl_current_batch()),
       count(*) FILTER (WHERE change = 'inserted'),
       count(*) FILTER (WHERE change = 'updated'),
       count(*) FILTER (WHERE change = 'deleted')
  FROM tmp_prod_changes;

SELECT inserted + updated + deleted AS rows_affected
  FROM etl_reconciliation
 WHERE batch_id = etl_current_batch() AND target = 'dim_product';
