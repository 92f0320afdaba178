// Every generator's output at 100k rows reads back with zero rejects.
#include "tests/pipelines/generators/generator_test_support.hpp"

namespace dp::test {
namespace {

constexpr std::uint64_t kRows = 100000;

/// Generates `kind` at 100k rows and checks every file it wrote: its kind by name, zero
/// rejects, the row count it reported. Returns the files for further checks.
std::vector<pipelines::GeneratedFile> generate_and_read(const std::string& kind_name,
                                                        const TempDir& dir) {
  const auto files = generate(kind_name, kRows, dir.path());
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    CAPTURE(file.path.filename().string());
    CHECK(std::filesystem::exists(file.path));
    CHECK(file.bad_rows == 0);
    CHECK(file.bad_rows_manifest.empty());
    const auto converted = convert_file(file.path, kind_of(file.path), false);
    CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
    CHECK(converted.rows == file.rows);
    CHECK(converted.warnings.empty());
  }
  // Nothing but the announced files: no temporary file is left behind.
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++entries;
  }
  CHECK(entries == files.size());
  return files;
}

TEST_CASE("each kind's generator writes 100k rows that load without a reject") {
  for (const std::string kind_name :
       {"user_traffic", "marketing_daily", "traffic_sources", "title_data", "habit_records",
        "cases", "case_logs", "products", "priority_sla", "calendar"}) {
    CAPTURE(kind_name);
    TempDir dir;
    const auto files = generate_and_read(kind_name, dir);
    REQUIRE(files.size() == 1);
    CHECK(files[0].rows == kRows);
    CHECK(kind_of(files[0].path).name() == kind_name);
  }
}

TEST_CASE("analyst snapshots: one file per year with 100k analysts each, plus the change file") {
  TempDir dir;
  const auto files = generate_and_read("analyst_snapshots", dir);
  REQUIRE(files.size() == 6);
  for (int i = 0; i < 5; ++i) {
    CHECK(files[static_cast<std::size_t>(i)].path.filename() ==
          "analysts_" + std::to_string(2010 + i) + ".csv");
    CHECK(files[static_cast<std::size_t>(i)].rows == kRows);
  }
  CHECK(files[5].path.filename() == "analysts.csv");
  // About one analyst in ten changes after the last snapshot.
  CHECK(files[5].rows > kRows / 20);
  CHECK(files[5].rows < kRows / 5);
}

TEST_CASE("the subjects write their consistent sets, all loadable") {
  for (const std::string subject : {"course_traffic", "job_titles", "habits", "support_desk"}) {
    CAPTURE(subject);
    TempDir dir;
    generate_and_read(subject, dir);
  }
}

TEST_CASE("tiny requests work for every generator, every row spoiled or none") {
  for (const std::string& name : pipelines::generator_names()) {
    for (const std::uint64_t rows : {0, 1, 2}) {
      for (const std::uint64_t bad : {std::uint64_t{0}, rows}) {
        CAPTURE(name);
        CAPTURE(rows);
        CAPTURE(bad);
        TempDir dir;
        const auto files = generate(name, rows, dir.path(), 9, bad);
        std::uint64_t spoiled = 0;
        for (const auto& file : files) {
          const auto converted = convert_file(file.path, kind_of(file.path), false);
          CHECK(converted.rejects.size() == file.bad_rows);
          CHECK(converted.rows + converted.rejects.size() == file.rows);
          spoiled += file.bad_rows;
        }
        CHECK(spoiled == bad);
      }
    }
  }
}

}  // namespace
}  // namespace dp::test
