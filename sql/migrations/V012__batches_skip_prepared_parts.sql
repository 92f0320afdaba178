-- Issue 14 item 3: a big file is loaded over several connections. Part 0's rows commit with
-- the ledger row; every other part is a prepared transaction (PREPARE TRANSACTION
-- 'dataprocessor_load_<database oid>_<file_id>_<part>') that the loader commits right after the ledger's
-- commit, or that the start-up resolution ends as the ledger says when the loader was killed
-- in between. For that short while, or until the next start, a file can be 'loaded' in the
-- ledger with only some of its rows visible. A warehouse batch must never take such a file:
-- this version of etl_begin_run leaves out every loaded file with a part still prepared; the
-- next run takes it once its parts are committed.
--
-- Why that is enough: pg_prepared_xacts is read after the statement's snapshot is taken, a
-- part leaves it only after its commit is visible, and every part is prepared before the
-- ledger's commit. So a file whose loaded row the snapshot sees and that has no prepared part
-- left has all its rows visible to the steps, which start later.
CREATE OR REPLACE FUNCTION etl_begin_run(p_mode text) RETURNS bigint
  LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
DECLARE
  v_batch bigint;
  v_files integer;
BEGIN
  UPDATE etl_runs
     SET status = 'failed', finished_at = clock_timestamp(),
         error = coalesce(error, 'abandoned: the runner stopped before finishing')
   WHERE status = 'running';

  INSERT INTO etl_runs (mode) VALUES (p_mode) RETURNING batch_id INTO v_batch;

  INSERT INTO etl_batch_files (batch_id, file_id)
  SELECT v_batch, f.file_id
    FROM ingest.files f
    JOIN pg_catalog.pg_database d ON d.datname = current_database()
   WHERE f.status = 'loaded'
     AND (p_mode = 'full'
          OR NOT EXISTS (SELECT 1
                           FROM etl_batch_files bf
                           JOIN etl_runs r ON r.batch_id = bf.batch_id
                          WHERE bf.file_id = f.file_id AND r.status = 'succeeded'))
     AND NOT EXISTS (SELECT 1
                       FROM pg_catalog.pg_prepared_xacts p
                      WHERE p.database = current_database()
                        AND p.gid LIKE 'dataprocessor\_load\_' || d.oid || '\_' || f.file_id
                                       || '\_%');
  GET DIAGNOSTICS v_files = ROW_COUNT;

  UPDATE etl_runs SET files = v_files WHERE batch_id = v_batch;
  RETURN v_batch;
END
$$;
