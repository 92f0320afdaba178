#include "core/ingest/file_loader.hpp"

#include <doctest/doctest.h>

#include <zlib.h>
#include <atomic>
#include <future>

#include "core/db/embedded_postgres.hpp"
#include "tests/core/ingest/ingest_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using dp::ingest::FileLoader;
using dp::ingest::LoadOptions;
using dp::ingest::LoadStatus;
using dp::test::write_text;

namespace {

const std::string kGood = "id,name,born\n1,Ann,1990-01-02\n2,Bob,\n3,\"Cé, Jr\",2001-12-31\n";

}  // namespace

TEST_CASE("a good file loads with lineage and a loaded ledger row, in one unit of work") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  write_text(dir.path() / "people.csv", kGood);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, LoadOptions{});
  const auto outcome = loader.load(connection, dir.path() / "people.csv");
  CHECK(outcome.status == LoadStatus::kLoaded);
  CHECK(outcome.rows_loaded == 3);
  CHECK(outcome.rows_rejected == 0);
  CHECK(outcome.pipeline == "people");
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "3");
  CHECK(db.scalar("SELECT string_agg(line_no::text, ',' ORDER BY line_no) FROM staging.people") ==
        "2,3,4");
  CHECK(db.scalar("SELECT name FROM staging.people WHERE id = 3") == "Cé, Jr");
  CHECK(db.scalar("SELECT born IS NULL FROM staging.people WHERE id = 2") == "t");
  CHECK(db.scalar("SELECT status || ':' || rows_loaded || ':' || pipeline FROM ingest.files") ==
        "loaded:3:people");
  CHECK(db.scalar("SELECT count(*) FROM staging.people p JOIN ingest.files f USING (file_id)") ==
        "3");
}

TEST_CASE("the same bytes under another name are a duplicate, new bytes under an old name load") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  write_text(dir.path() / "people.csv", kGood);
  write_text(dir.path() / "people_copy.csv", kGood);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, LoadOptions{});
  const auto first = loader.load(connection, dir.path() / "people.csv");
  const auto second = loader.load(connection, dir.path() / "people_copy.csv");
  CHECK(second.status == LoadStatus::kDuplicate);
  CHECK(second.duplicate_of == first.file_id);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "3");
  write_text(dir.path() / "people.csv", kGood + "4,Dee,1970-05-05\n");
  const auto third = loader.load(connection, dir.path() / "people.csv");
  CHECK(third.status == LoadStatus::kLoaded);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "7");
  CHECK(db.scalar("SELECT string_agg(status, ',' ORDER BY file_id) FROM ingest.files") ==
        "loaded,duplicate,loaded");
}

TEST_CASE("bad rows become rejects with position and reason, the good rows load") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  std::string content = "id,name,born\n";
  for (int i = 1; i <= 30; ++i) {
    content += std::to_string(i) + ",n" + std::to_string(i) + ",2000-01-01\n";
  }
  content += "x31,bad id,2000-01-01\n32,bad date,2000-02-30\n33,too,few,extra\n";
  write_text(dir.path() / "people.csv", content);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, LoadOptions{});
  const auto outcome = loader.load(connection, dir.path() / "people.csv");
  REQUIRE(outcome.status == LoadStatus::kLoaded);
  CHECK(outcome.rows_loaded == 30);
  CHECK(outcome.rows_rejected == 3);
  REQUIRE(outcome.first_rejects.size() == 3);
  CHECK(outcome.first_rejects[0].line == 32);
  CHECK(outcome.first_rejects[0].column == "id");
  CHECK(db.scalar("SELECT string_agg(line::text || ':' || coalesce(column_name, '-'), ',' "
                  "ORDER BY line) FROM ingest.rejects") == "32:id,33:born,34:-");
  CHECK(db.scalar("SELECT raw_line FROM ingest.rejects WHERE line = 32") ==
        "x31,bad id,2000-01-01");
  CHECK(db.scalar("SELECT rows_rejected FROM ingest.files") == "3");
}

TEST_CASE("too many rejects fail the whole file and load nothing") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  write_text(dir.path() / "people.csv", "id,name,born\n1,a,2000-01-01\nx,b,2000-01-01\n");
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, LoadOptions{});
  const auto outcome = loader.load(connection, dir.path() / "people.csv");
  CHECK(outcome.status == LoadStatus::kFailed);
  CHECK(outcome.error.find("above max_reject_ratio") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "0");
  CHECK(db.scalar("SELECT status FROM ingest.files") == "failed");
  CHECK(db.scalar("SELECT count(*) FROM ingest.rejects") == "1");
}

TEST_CASE("on_error = skip_file fails the file at its first bad row") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  std::string content = "id,name,born\n";
  for (int i = 1; i <= 100; ++i) {
    content += std::to_string(i) + ",n,2000-01-01\n";
  }
  content += "oops,n,2000-01-01\n";
  write_text(dir.path() / "people.csv", content);
  dp::db::LibpqConnection connection(db.database.conninfo());
  LoadOptions options;
  options.on_error = dp::ingest::OnRowError::kSkipFile;
  const auto outcome =
      FileLoader(*db.registry, options).load(connection, dir.path() / "people.csv");
  CHECK(outcome.status == LoadStatus::kFailed);
  CHECK(outcome.error.find("skip_file") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "0");
}

TEST_CASE("a missing required column, an empty file and an unknown kind each fail cleanly") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  write_text(dir.path() / "people_a.csv", "id,name\n1,a\n");
  write_text(dir.path() / "people_b.csv", "");
  write_text(dir.path() / "mystery.csv", "a,b\n1,2\n");
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, LoadOptions{});
  const auto missing = loader.load(connection, dir.path() / "people_a.csv");
  CHECK(missing.status == LoadStatus::kFailed);
  CHECK(missing.error.find("born") != std::string::npos);
  const auto empty = loader.load(connection, dir.path() / "people_b.csv");
  CHECK(empty.status == LoadStatus::kFailed);
  CHECK(empty.error.find("empty") != std::string::npos);
  const auto unknown = loader.load(connection, dir.path() / "mystery.csv");
  CHECK(unknown.status == LoadStatus::kQuarantined);
  CHECK(unknown.error.find("no kind matches") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM ingest.files WHERE status = 'failed'") == "3");
}

TEST_CASE("a file whose name says nothing is recognised by its header") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  write_text(dir.path() / "export 2024 (final).csv", kGood);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const auto outcome = FileLoader(*db.registry, LoadOptions{})
                           .load(connection, dir.path() / "export 2024 (final).csv");
  CHECK(outcome.status == LoadStatus::kLoaded);
  CHECK(db.scalar("SELECT original_name FROM ingest.files") == "export 2024 (final).csv");
}

TEST_CASE("--check commits nothing, and --limit reads only the first rows") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  write_text(dir.path() / "people.csv", kGood);
  dp::db::LibpqConnection connection(db.database.conninfo());
  LoadOptions check;
  check.dry_run = true;
  const auto would = FileLoader(*db.registry, check).load(connection, dir.path() / "people.csv");
  CHECK(would.status == LoadStatus::kLoaded);
  CHECK(would.rows_loaded == 3);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "0");
  CHECK(db.scalar("SELECT count(*) FROM ingest.files") == "0");
  LoadOptions limited;
  limited.row_limit = 2;
  const auto two = FileLoader(*db.registry, limited).load(connection, dir.path() / "people.csv");
  CHECK(two.rows_loaded == 2);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "2");
}

TEST_CASE("a gzip-compressed file loads and is hashed as dropped") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  const auto path = dir.path() / "people.csv.gz";
  gzFile gz = gzopen(path.c_str(), "wb");
  gzwrite(gz, kGood.data(), static_cast<unsigned>(kGood.size()));
  gzclose(gz);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const auto outcome = FileLoader(*db.registry, LoadOptions{}).load(connection, path);
  CHECK(outcome.status == LoadStatus::kLoaded);
  CHECK(outcome.rows_loaded == 3);
  CHECK(outcome.size_bytes == std::filesystem::file_size(path));
}

TEST_CASE("two workers given the same bytes at once load them exactly once") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  std::string content = "id,name,born\n";
  for (int i = 0; i < 20000; ++i) {
    content += std::to_string(i) + ",name,2000-01-01\n";
  }
  write_text(dir.path() / "people_1.csv", content);
  write_text(dir.path() / "people_2.csv", content);
  // Small files are hashed before their rows; big ones beside their rows, in two parts, with
  // the duplicate check after the rows (parallel_copy_min_bytes = 0 makes these files big).
  LoadOptions big;
  big.parallel_copy_min_bytes = 0;
  big.parallel_copy_streams = 2;
  big.conninfo = db.database.conninfo();
  for (const auto& options : {LoadOptions{}, big}) {
    CAPTURE(options.parallel_copy_min_bytes);
    db.database.exec("TRUNCATE staging.people, ingest.files CASCADE");
    const FileLoader loader(*db.registry, options);
    auto run = [&](const char* name) {
      dp::db::LibpqConnection connection(db.database.conninfo());
      return loader.load(connection, dir.path() / name).status;
    };
    auto a = std::async(std::launch::async, run, "people_1.csv");
    auto b = std::async(std::launch::async, run, "people_2.csv");
    const auto first = a.get();
    const auto second = b.get();
    CHECK(((first == LoadStatus::kLoaded && second == LoadStatus::kDuplicate) ||
           (first == LoadStatus::kDuplicate && second == LoadStatus::kLoaded)));
    CHECK(db.scalar("SELECT count(*) FROM staging.people") == "20000");
    CHECK(db.scalar("SELECT count(*) FROM pg_prepared_xacts") == "0");
  }
}

TEST_CASE("a cancelled load rolls back and leaves no trace") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  std::string content = "id,name,born\n";
  for (int i = 0; i < 100000; ++i) {
    content += std::to_string(i) + ",name,2000-01-01\n";
  }
  write_text(dir.path() / "people.csv", content);
  std::atomic<bool> cancel{true};
  LoadOptions options;
  options.cancel = &cancel;
  dp::db::LibpqConnection connection(db.database.conninfo());
  CHECK_THROWS_AS(FileLoader(*db.registry, options).load(connection, dir.path() / "people.csv"),
                  dp::ingest::LoadCancelled);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "0");
  CHECK(db.scalar("SELECT count(*) FROM ingest.files") == "0");
}

TEST_CASE("a database that goes away mid-load means retry later, with nothing committed") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  std::string content = "id,name,born\n";
  for (int i = 0; i < 300000; ++i) {
    content += std::to_string(i) + ",name,2000-01-01\n";
  }
  write_text(dir.path() / "people.csv", content);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const int pid = connection.backend_pid();
  std::atomic<bool> fired{false};
  LoadOptions options;
  options.progress_interval = std::chrono::milliseconds(0);
  options.on_progress = [&](const dp::ingest::LoadProgress&) {
    if (!fired.exchange(true)) {
      db.database.exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
    }
  };
  CHECK_THROWS_AS(FileLoader(*db.registry, options).load(connection, dir.path() / "people.csv"),
                  dp::ingest::RetryLater);
  CHECK(fired.load());
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "0");
  CHECK(db.scalar("SELECT count(*) FROM ingest.files") == "0");
}

TEST_CASE("an unterminated quote fails the whole file: nothing loaded, the reason names its line") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  std::string text = "id,name,born\n1,a,2000-01-01\n2,\"oops,2000-01-01\n";
  for (int id = 3; id <= 100; ++id) {
    text += std::to_string(id) + ",n,2000-01-01\n";
  }
  write_text(dir.path() / "people.csv", text);
  dp::db::LibpqConnection connection(db.database.conninfo());
  const FileLoader loader(*db.registry, LoadOptions{});
  const auto outcome = loader.load(connection, dir.path() / "people.csv");
  CHECK(outcome.status == LoadStatus::kFailed);
  CHECK(outcome.error.rfind("line 3: a quoted field", 0) == 0);
  CHECK(outcome.error.find("swallowed 99 lines (lines 3-101)") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "0");
  CHECK(db.scalar("SELECT status FROM ingest.files") == "failed");
  CHECK(db.scalar("SELECT reason || ':' || line FROM ingest.rejects") == "unterminated_quote:3");
}

TEST_CASE("past max_rejects the file fails at once, without reading the rest") {
  dp::test::IngestDatabase db;
  dp::test::TempDir dir;
  std::string text = "id,name,born\n";
  for (int i = 0; i < 1000; ++i) {
    text += "bad\n";
  }
  write_text(dir.path() / "people.csv", text);
  dp::db::LibpqConnection connection(db.database.conninfo());
  LoadOptions options;
  options.max_rejects = 5;
  options.max_reject_ratio = 1;
  const FileLoader loader(*db.registry, options);
  const auto outcome = loader.load(connection, dir.path() / "people.csv");
  CHECK(outcome.status == LoadStatus::kFailed);
  CHECK(outcome.error ==
        "more than max_rejects (5) rows rejected; stopped reading at line 7 without loading "
        "anything");
  CHECK(outcome.rows_rejected == 6);
  CHECK(db.scalar("SELECT count(*) FROM staging.people") == "0");
}
