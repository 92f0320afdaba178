// A big file cut into parts and copied over several connections: the same rows, lines, rejects
// and outcome as one stream, one unit of work by two-phase commit, and a fall back to one
// stream whenever a cut cannot be proven a record boundary.
#include "core/ingest/parallel_copy.hpp"

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "core/db/embedded_postgres.hpp"
#include "core/ingest/file_loader.hpp"
#include "core/ingest/prepared_parts.hpp"
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
  CHECK(across_single.outcome.first_rejects.at(0).line == 2005);
}

TEST_CASE("a file that fails in parts fails exactly as with one stream, leaving nothing") {
  // Every third row is bad: above max_reject_ratio.
  const auto bad = people_csv(2000, 3);
  const auto single = load(bad, 1);
  CHECK(single.outcome.status == LoadStatus::kFailed);
  check_same(load(bad, 2), single);
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
