-- A run with nothing new must change nothing, not even batch ids: compares the raw warehouse
-- tables saved before (dp_snap_raw_before) and after (dp_snap_raw_after) such a run
-- (dp_cmp.snapshot_raw()).
SELECT * FROM dp_cmp.diff('dp_snap_raw_before', 'dp_snap_raw_after');
