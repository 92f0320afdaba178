// One view to one CSV: RFC 4180 quoting, UTF-8, NULL versus empty text, and file safety.
#include "core/analysis/view_exporter.hpp"

#include <doctest/doctest.h>

#include "core/analysis/analysis_error.hpp"
#include "core/fs/atomic_file_writer.hpp"
#include "tests/core/analysis/analysis_db_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dp::analysis;
using dp::test::WarehouseDatabase;
namespace fs = std::filesystem;

namespace {

std::uint64_t export_view(const WarehouseDatabase& database, const std::string& view,
                          const fs::path& path) {
  dp::db::LibpqConnection connection(database.conninfo());
  const auto folder = dp::files::SafeDirectory::open_configured(path.parent_path());
  dp::files::AtomicFileWriter writer(folder, path.filename().string());
  const auto rows = copy_view_csv(connection, view, writer);
  writer.commit();
  return rows;
}

}  // namespace

TEST_CASE("a view's rows come back from its CSV exactly, whatever characters they hold") {
  WarehouseDatabase database;
  database.exec(
      "CREATE VIEW analysis.\"tricky view\" AS SELECT * FROM (VALUES "
      "(1, 'plain', 2.50::numeric, DATE '2020-12-31'), "
      "(2, 'comma, and \"quotes\"', NULL, DATE '2021-01-01'), "
      "(3, E'two\\nlines', 0, NULL), "
      "(4, 'Autónomo директор 销售 😀', -1.25, DATE '2024-02-29'), "
      "(5, '', 1e-3, DATE '2024-01-01')) "
      "AS t(id, label, amount, day)");
  dp::test::TempDir dir;
  const auto path = export_path(dir.path(), "tricky view");
  CHECK(path == dir.path() / "tricky view.csv");
  CHECK(export_view(database, "tricky view", path) == 5);

  const auto csv = dp::test::read_csv_file(path);
  REQUIRE(csv.size() == 6);
  CHECK(csv[0] == std::vector<std::string>{"id", "label", "amount", "day"});
  const auto rows = database.rows("SELECT * FROM analysis.\"tricky view\"");
  REQUIRE(rows.size() == 5);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    REQUIRE(csv[r + 1].size() == rows[r].size());
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      CHECK(csv[r + 1][c] == rows[r][c].value_or(""));
    }
  }
  // RFC 4180 on the bytes: quotes doubled, a NULL is an empty field, an empty text is "".
  const auto text = dp::test::read_text_file(path);
  CHECK(text.find("2,\"comma, and \"\"quotes\"\"\",,2021-01-01\n") != std::string::npos);
  CHECK(text.find("3,\"two\nlines\",0,\n") != std::string::npos);
  CHECK(text.find("5,\"\",0.001,2024-01-01\n") != std::string::npos);
}

TEST_CASE("an empty view exports its header row only") {
  WarehouseDatabase database;
  database.exec("CREATE VIEW analysis.nothing AS SELECT 1 AS a, 'x'::text AS b WHERE false");
  dp::test::TempDir dir;
  CHECK(export_view(database, "nothing", dir.path() / "nothing.csv") == 0);
  CHECK(dp::test::read_text_file(dir.path() / "nothing.csv") == "a,b\n");
}

TEST_CASE("a view that fails while it is read leaves the previous export in place") {
  WarehouseDatabase database;
  database.exec(
      "CREATE VIEW analysis.flaky AS SELECT g, 10 / (5000 - g) AS q "
      "FROM generate_series(1, 6000) g");
  dp::test::TempDir dir;
  const auto path = dir.path() / "flaky.csv";
  dp::test::write_text_file(path, "old,content\n");
  {
    dp::db::LibpqConnection connection(database.conninfo());
    const auto folder = dp::files::SafeDirectory::open_configured(path.parent_path());
    dp::files::AtomicFileWriter writer(folder, path.filename().string());
    CHECK_THROWS_WITH_AS(copy_view_csv(connection, "flaky", writer),
                         doctest::Contains("division by zero"), dp::db::PgError);
    // The connection is still usable after the failed COPY.
    CHECK(connection.exec("SELECT 41 + 1").get(0, 0) == "42");
  }
  CHECK(dp::test::read_text_file(path) == "old,content\n");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);  // no temporary file left behind
}

TEST_CASE("a view name that is not a plain file name is refused") {
  dp::test::TempDir dir;
  for (const std::string name : {"", ".hidden", "../escape", "a/b"}) {
    CAPTURE(name);
    CHECK_THROWS_AS(export_path(dir.path(), name), AnalysisError);
  }
  CHECK(export_path(dir.path(), "Ünïcode view") == dir.path() / "Ünïcode view.csv");
}
