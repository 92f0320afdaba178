-- gate: fails with "relation does not exist" until the test creates public.warehouse_gate.
SELECT count(*)::bigint AS rows_affected FROM public.warehouse_gate;
