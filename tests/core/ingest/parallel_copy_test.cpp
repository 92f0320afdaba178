// A big file cut into parts and copied over several connections: the same rows, lines, rejects
// and outcome as one stream, one unit of work by two-phase commit, and a fall back to one
// stream whenever a cut cannot be proven a record boundary.
#include "core/ingest/parallel_copy.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include <pqxx/pqxx>

#include "core/db/embedded_postgres.hpp"
#include "core/ingest/file_loader.hpp"
#include "core/ingest/part_tables.hpp"
#include "core/ingest/prepared_parts.hpp"
#include "core/watch/fingerprint.hpp"
#include "tests/core/ingest/ingest_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using dp::ingest::FileLoader;
using dp::ingest::LoadOptions;
using dp::ingest::LoadOutcome;
using dp::ingest::LoadStatus;
using dp::test::write_text;

namespace {

/// `rows` people rows after the header; every `bad_every`-th row has a bad id.
std::string people_csv(int rows, int bad_every) {
  std::string text = "id,name,born\n";
  for (int i = 1; i <= rows; ++i) {
    const bool bad = bad_every > 0 && i % bad_every == 0;
    text += (bad ? "x" : "") + std::to_string(i) + ",\"n, " + std::to_string(i) + "\"," +
            (i % 5 == 0 ? "" : "2001-02-03") + "\n";
  }
  return text;
}

LoadOptions parallel_options(const std::string& conninfo, std::size_t streams) {
  LoadOptions options;
  options.parallel_copy_min_bytes = 0;
  options.parallel_copy_streams = streams;
  options.conninfo = conninfo;
  return options;
}

struct Loaded {
  LoadOutcome outcome;
  std::string rows;
  std::string rejects;
  std::string ledger;
  std::string prepared;
  /// Part tables of staging.people, their indexes, and the rows of the table itself.
  std::string part_tables;
  std::string part_indexes;
  std::string own_rows;
  /// The distinct file ids of the staged rows (a part table's rows get theirs by default).
  std::string file_ids;
};

/// Loads `content` as people.csv into a fresh database with `options` (conninfo filled in when
/// `streams` > 1) and returns what it left there.
Loaded load(const std::string& content, std::size_t streams) {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  write_text(dir.path() / "people.csv", content);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, parallel_options(db.database.conninfo(), streams));
  Loaded loaded;
  loaded.outcome = loader.load(connection, dir.path() / "people.csv");
  loaded.rows = db.scalar(
      "SELECT md5(string_agg(line_no || ':' || id || ':' || coalesce(name, '-') || ':' || "
      "coalesce(born::text, '-'), ',' ORDER BY line_no)) || ' ' || count(*) FROM staging.people");
  loaded.rejects = db.scalar(
      "SELECT string_agg(line || '@' || byte_offset || ':' || coalesce(column_name, '-') || ':' "
      "|| reason || ':' || message || ':' || raw_line, '|' ORDER BY line) FROM ingest.rejects");
  loaded.ledger = db.scalar(
      "SELECT string_agg(status || ':' || rows_loaded || ':' || rows_rejected || ':' || "
      "coalesce(error, '-'), ',' ORDER BY file_id) FROM ingest.files");
  loaded.prepared = db.scalar("SELECT count(*) FROM pg_prepared_xacts");
  loaded.part_tables =
      db.scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'staging.people'::regclass");
  loaded.part_indexes = db.scalar(
      "SELECT count(*) FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indrelid "
      "JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_am a ON a.oid = c.relam "
      "WHERE i.inhparent = 'staging.people'::regclass AND a.amname = 'brin'");
  loaded.own_rows = db.scalar("SELECT count(*) FROM ONLY staging.people");
  loaded.file_ids = db.scalar("SELECT string_agg(DISTINCT file_id::text, ',') FROM staging.people");
  return loaded;
}

void check_same(const Loaded& parts, const Loaded& single) {
  CHECK(parts.outcome.status == single.outcome.status);
  CHECK(parts.outcome.rows_loaded == single.outcome.rows_loaded);
  CHECK(parts.outcome.rows_rejected == single.outcome.rows_rejected);
  CHECK(parts.outcome.error == single.outcome.error);
  REQUIRE(parts.outcome.first_rejects.size() == single.outcome.first_rejects.size());
  for (std::size_t i = 0; i < parts.outcome.first_rejects.size(); ++i) {
    CHECK(parts.outcome.first_rejects[i].line == single.outcome.first_rejects[i].line);
    CHECK(parts.outcome.first_rejects[i].message == single.outcome.first_rejects[i].message);
  }
  CHECK(parts.rows == single.rows);
  CHECK(parts.rejects == single.rejects);
  CHECK(parts.ledger == single.ledger);
  CHECK(parts.prepared == "0");
}

}  // namespace

TEST_CASE("a file cut into parts loads the same rows, lines and rejects as one stream") {
  const auto content = people_csv(3000, 211);
  const auto single = load(content, 1);
  CHECK(single.outcome.copy_streams == 1);
  for (std::size_t streams : {2U, 3U}) {
    CAPTURE(streams);
    const auto parts = load(content, streams);
    CHECK(parts.outcome.copy_streams == streams);
    CHECK(parts.outcome.status == LoadStatus::kLoaded);
    CHECK(parts.outcome.rows_rejected == 14);
    check_same(parts, single);
    // Every part's rows are in a part table of its own, indexed; none in the table itself.
    CHECK(parts.part_tables == std::to_string(streams));
    CHECK(parts.part_indexes == std::to_string(streams));
    CHECK(parts.own_rows == "0");
    CHECK(parts.file_ids == std::to_string(parts.outcome.file_id));
  }
}

TEST_CASE("quoted newlines before a cut keep the lines exact, one across a cut means one stream") {
  // Records of three lines each: every line feed but one in three is quoted.
  std::string spread = "id,name,born\n";
  for (int i = 1; i <= 500; ++i) {
    spread += std::to_string(i) + ",\"line one\nline two\nline three\",2001-02-03\n";
  }
  spread += "bad,x,2001-02-03\n";
  const auto spread_single = load(spread, 1);
  const auto spread_parts = load(spread, 2);
  check_same(spread_parts, spread_single);
  CHECK(spread_single.outcome.first_rejects.at(0).line == 1502);
  // Whether a cut falls inside a quoted field depends on where it lands; either way the outcome
  // is the single stream's. A field holding the middle of the file must cut nothing.
  std::string across = "id,name,born\n1,a,2001-02-03\n2,\"";
  for (int i = 0; i < 2000; ++i) {
    across += "quoted line " + std::to_string(i) + "\n";
  }
  across += "\",2001-02-03\n3,c,2001-02-03\nx4,d,2001-02-03\n";
  const auto across_single = load(across, 1);
  const auto across_parts = load(across, 2);
  CHECK(across_parts.outcome.copy_streams == 1);
  check_same(across_parts, across_single);
  CHECK(across_parts.part_tables == "0");
  CHECK(across_single.outcome.first_rejects.at(0).line == 2005);
}

TEST_CASE("a file that fails in parts fails exactly as with one stream, leaving nothing") {
  // Every third row is bad: above max_reject_ratio.
  const auto bad = people_csv(2000, 3);
  const auto single = load(bad, 1);
  CHECK(single.outcome.status == LoadStatus::kFailed);
  const auto bad_parts = load(bad, 2);
  check_same(bad_parts, single);
  CHECK(bad_parts.part_tables == "0");
  // An unterminated quote in the second half.
  const auto broken = people_csv(2000, 0) + "9999,\"never closed,2001-02-03\n";
  const auto broken_single = load(broken, 1);
  CHECK(broken_single.outcome.status == LoadStatus::kFailed);
  check_same(load(broken, 2), broken_single);
}

TEST_CASE("a server without prepared transactions loads a big file with one stream") {
  dp::test::TempDir root;
  dp::db::EmbeddedPostgresOptions options;
  options.root = root.path();
  options.tcp_port = 0;
  options.fsync = false;
  options.system_user = "dp_pgtest";
  options.max_prepared_transactions = 0;
  dp::db::EmbeddedPostgres server(options);
  server.start();
  const auto conninfo = server.conninfo("postgres");
  {
    pqxx::connection control(conninfo);
    dp::db::MigrationOptions migrations;
    migrations.dir = std::filesystem::path(DP_SOURCE_DIR) / "sql" / "migrations";
    dp::db::apply_migrations(control, migrations);
  }
  auto registry = dp::test::people_registry_for_test();
  dp::db::LibpqConnection connection(conninfo);
  dp::ingest::ensure_staging_tables(connection, *registry, "staging");
  dp::test::TempDir dir;
  write_text(dir.path() / "people.csv", people_csv(2000, 0));
  const FileLoader loader(*registry, parallel_options(conninfo, 2));
  const auto outcome = loader.load(connection, dir.path() / "people.csv");
  CHECK(outcome.status == LoadStatus::kLoaded);
  CHECK(outcome.rows_loaded == 2000);
  CHECK(outcome.copy_streams == 1);
  server.stop();
}

TEST_CASE("prepared parts of a dead load: kept out of batches, resolved as the ledger says") {
  dp::test::IngestDatabase db;
  dp::db::LibpqConnection control(db.database.conninfo());
  const auto loaded_id = db.scalar(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status) "
      "VALUES ('a', 'people.csv', 1, 'people', 'loaded') RETURNING file_id");
  // A part of a load whose ledger row never committed: a file id the ledger does not hold.
  const auto lost_id = std::to_string(std::stoll(loaded_id) + 100);
  for (const auto& id : {loaded_id, lost_id}) {
    dp::db::LibpqConnection part(db.database.conninfo());
    part.begin();
    part.exec_params(
        "INSERT INTO staging.people (file_id, line_no, id, name) VALUES ($1, 7, 1, 'part')", {id});
    part.exec("PREPARE TRANSACTION '" +
              dp::ingest::prepared_part_name(dp::ingest::database_oid(part), std::stoll(id), 1) +
              "'");
  }
  CHECK(db.scalar("SELECT count(*) FROM pg_prepared_xacts") == "2");

  // The warehouse does not take the loaded file while a part of it is still prepared.
  const auto batch = db.scalar("SELECT datawarehouse.etl_begin_run('incremental')");
  CHECK(db.scalar("SELECT count(*) FROM datawarehouse.etl_batch_files WHERE batch_id = " + batch) ==
        "0");

  // A live loader (holding the load's lock) keeps its parts.
  {
    dp::db::LibpqConnection live(db.database.conninfo());
    dp::ingest::lock_live_load(live, std::stoll(loaded_id));
    const auto resolved = dp::ingest::resolve_prepared_parts(control);
    CHECK(resolved.left_to_live_loads == 1);
    CHECK(resolved.rolled_back == 1);
    CHECK(resolved.committed == 0);
  }
  const auto resolved = dp::ingest::resolve_prepared_parts(control);
  CHECK(resolved.committed == 1);
  CHECK(resolved.rolled_back == 0);
  CHECK(db.scalar("SELECT count(*) FROM pg_prepared_xacts") == "0");
  CHECK(db.scalar("SELECT string_agg(file_id::text, ',') FROM staging.people") == loaded_id);

  const auto next = db.scalar("SELECT datawarehouse.etl_begin_run('incremental')");
  CHECK(db.scalar("SELECT string_agg(file_id::text, ',') FROM datawarehouse.etl_batch_files "
                  "WHERE batch_id = " +
                  next) == loaded_id);
}

TEST_CASE("a big file hashed beside its rows: its hash recorded, a second copy a duplicate") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  const auto content = people_csv(3000, 0);
  write_text(dir.path() / "people.csv", content);
  write_text(dir.path() / "copy.csv", content);
  write_text(dir.path() / "broken.csv", content + "9999,\"never closed,2001-02-03\n");
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, parallel_options(db.database.conninfo(), 2));
  const auto hash = dp::watch::fingerprint_file(dir.path() / "people.csv");

  const auto first = loader.load(connection, dir.path() / "people.csv");
  CHECK(first.status == LoadStatus::kLoaded);
  CHECK(first.copy_streams == 2);
  CHECK(first.sha256 == hash);
  CHECK(db.scalar("SELECT sha256 FROM ingest.files WHERE file_id = " +
                  std::to_string(first.file_id)) == hash);

  // The copy streams its rows too before its hash is known; they are rolled back.
  const auto second = loader.load(connection, dir.path() / "copy.csv");
  CHECK(second.status == LoadStatus::kDuplicate);
  CHECK(second.duplicate_of == first.file_id);
  CHECK(second.sha256 == hash);
  CHECK(db.scalar("SELECT count(*) || ' ' || count(DISTINCT file_id) FROM staging.people") ==
        "3000 1");
  CHECK(db.scalar("SELECT count(*) FROM pg_prepared_xacts") == "0");
  CHECK(db.scalar("SELECT string_agg(status || ':' || coalesce(duplicate_of::text, '-'), ',' "
                  "ORDER BY file_id) FROM ingest.files") ==
        "loaded:-,duplicate:" + std::to_string(first.file_id));
  // The copy's part tables went with its rows.
  CHECK(db.scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = "
                  "'staging.people'::regclass") == "2");

  // A file that fails after its rows streamed still records the hash of what was read.
  const auto broken = loader.load(connection, dir.path() / "broken.csv");
  CHECK(broken.status == LoadStatus::kFailed);
  CHECK(db.scalar("SELECT sha256 FROM ingest.files WHERE file_id = " +
                  std::to_string(broken.file_id)) ==
        dp::watch::fingerprint_file(dir.path() / "broken.csv"));
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "3000");
}

TEST_CASE("part tables of loads that stopped are dropped at start-up, a live or loaded one stays") {
  dp::test::IngestDatabase db;
  const auto loaded_id = db.scalar(
      "INSERT INTO ingest.files (sha256, original_name, size_bytes, pipeline, status) "
      "VALUES ('a', 'people.csv', 1, 'people', 'loaded') RETURNING file_id");
  const auto loaded = std::stoll(loaded_id);
  const auto dead = loaded + 100;
  const auto live = loaded + 200;
  dp::db::LibpqConnection control(db.database.conninfo());
  // A loaded file's tables, a dead load's (no ledger row) and a live load's.
  for (const auto file_id : {loaded, dead, live}) {
    dp::ingest::create_part_tables(control, {"staging", "people", file_id, 2});
  }
  db.database.exec("INSERT INTO staging_parts.f" + loaded_id +
                   "_p1_people (file_id, line_no, id) VALUES (" + loaded_id + ", 2, 1)");
  const auto tables = [&] {
    return db.scalar(
        "SELECT string_agg(c.relname, ',' ORDER BY c.relname COLLATE \"C\") FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'staging.people'::regclass");
  };
  const auto names_of = [](std::vector<std::int64_t> ids) {
    std::vector<std::string> names;
    for (const auto id : ids) {
      names.push_back("f" + std::to_string(id) + "_p0_people");
      names.push_back("f" + std::to_string(id) + "_p1_people");
    }
    std::sort(names.begin(), names.end());
    std::string joined;
    for (const auto& name : names) {
      joined += (joined.empty() ? "" : ",") + name;
    }
    return joined;
  };
  CHECK(tables() == names_of({loaded, dead, live}));
  dp::db::LibpqConnection loader(db.database.conninfo());
  dp::ingest::lock_live_load(loader, live);
  const auto resolved = dp::ingest::resolve_prepared_parts(control);
  CHECK(resolved.dropped_part_tables == 2);
  CHECK(tables() == names_of({loaded, live}));
  // Its loader gone without a ledger row, the live load's tables go too.
  dp::ingest::unlock_live_load(loader, live);
  CHECK(dp::ingest::resolve_prepared_parts(control).dropped_part_tables == 2);
  CHECK(tables() == names_of({loaded}));
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "1");
}

TEST_CASE("a part table's name keeps its numbers whole within PostgreSQL's 63 bytes") {
  dp::ingest::PartTables tables{"s", std::string(70, 'x'), 123456789012, 4};
  CHECK(tables.table(3) == "f123456789012_p3_" + std::string(46, 'x'));
  CHECK(tables.table(3).size() == 63);
  // A cut never splits a UTF-8 sequence (2-byte letters here).
  std::string letters;
  for (int i = 0; i < 40; ++i) {
    letters += "\xc3\xa9";
  }
  tables.staging_table = letters;
  tables.file_id = 1234567890123;  // An 18-byte prefix leaves an odd 45 bytes: one is backed up.
  const auto name = tables.table(0);
  CHECK(name.size() == 62);
  CHECK(name.rfind("f1234567890123_p0_", 0) == 0);
  CHECK(tables.qualified(0) == "\"s_parts\".\"" + name + "\"");
}
