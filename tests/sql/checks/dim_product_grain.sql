-- dim_product has one row per product of the latest loaded hierarchy (level 3 and below of
-- product line -> product group -> product), with that product's name, group and line, plus
-- the unknown member -1; lines, groups and nodes whose chain does not reach a line are not
-- members.
WITH RECURSIVE latest AS (
  SELECT DISTINCT ON (s.pid) s.pid, s.name, nullif(s.parent_pid, '') AS parent_pid
    FROM products s
    JOIN ingest.files f ON f.file_id = s.file_id AND f.status = 'loaded'
   ORDER BY s.pid, s.file_id DESC, s.line_no DESC
),
tree (pid, level, line_pid, group_pid) AS (
  SELECT pid, 1, pid, NULL::text FROM latest WHERE parent_pid IS NULL
  UNION ALL
  SELECT c.pid, t.level + 1, t.line_pid, CASE WHEN t.level = 1 THEN c.pid ELSE t.group_pid END
    FROM tree t JOIN latest c ON c.parent_pid = t.pid
   WHERE t.level < 50
),
expected AS (
  SELECT p.pid, p.name, t.group_pid, g.name AS group_name, t.line_pid, l.name AS line_name
    FROM tree t
    JOIN latest p ON p.pid = t.pid
    JOIN latest g ON g.pid = t.group_pid
    JOIN latest l ON l.pid = t.line_pid
   WHERE t.level >= 3
),
actual AS (
  SELECT pid, product_name, product_group_pid, product_group_name, product_line_pid,
         product_line_name
    FROM dim_product WHERE product_key <> -1
)
SELECT 'missing or different' AS problem, e.pid
  FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) e
UNION ALL
SELECT 'not a product', a.pid
  FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) a
UNION ALL
SELECT 'duplicate pid', pid FROM dim_product GROUP BY pid HAVING count(*) > 1
UNION ALL
SELECT 'unknown member', '-1'
 WHERE NOT EXISTS (SELECT 1 FROM dim_product
                    WHERE product_key = -1 AND pid = '-1' AND product_name = 'Unknown');
