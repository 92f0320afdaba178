-- counted: reports a known row count (7) so the success notification can be checked.
SELECT 7::bigint AS rows_affected;
