-- Issue 16 item 7: dim_product has the grain the seed describes, one row per product (level 3
-- and below of the hierarchy product line -> product group -> product), with its product line
-- and product group as columns. Product lines and product groups are no longer members of their
-- own, and a node whose chain does not reach a product line is not a member until it does (a
-- case that references it points at -1 meanwhile, and is re-pointed when the node becomes a
-- product, as for any new product).
--
-- 1. A case whose product leaves the dimension points at the unknown member, like a case whose
--    analyst leaves dim_analyst: the foreign key sets the default (-1) on delete.
ALTER TABLE fact_case DROP CONSTRAINT fact_case_product_key_fkey;
ALTER TABLE fact_case ADD CONSTRAINT fact_case_product_key_fkey
  FOREIGN KEY (product_key) REFERENCES dim_product (product_key) ON DELETE SET DEFAULT;

-- 2. The lines, groups and unplaced nodes of a warehouse built before this migration go.
DELETE FROM dim_product
 WHERE product_key <> -1 AND (hierarchy_level IS NULL OR hierarchy_level < 3);

-- 3. Every member is a product now: the level says nothing any more.
ALTER TABLE dim_product DROP COLUMN hierarchy_level;
COMMENT ON TABLE dim_product IS
  'One row per product (level 3 and below of the product hierarchy) with its product group and '
  'product line; product_key -1 is the unknown product.';
