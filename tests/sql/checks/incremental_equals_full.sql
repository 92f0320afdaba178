-- Incremental runs must leave the same warehouse as a --full rebuild over the same loads
-- (surrogate keys and batch ids aside). Needs the snapshots dp_snap_incremental (taken after the
-- last incremental run) and dp_snap_full (after --full), made with dp_cmp.snapshot().
-- Offending rows: table, the snapshot the row is only in, the row.
SELECT * FROM dp_cmp.diff('dp_snap_incremental', 'dp_snap_full');
