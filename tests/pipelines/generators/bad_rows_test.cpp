// --bad-rows spoils exactly the rows its manifest lists, and nothing else.
#include "tests/pipelines/generators/generator_test_support.hpp"

namespace dp::test {
namespace {

TEST_CASE("every generator: rejects fall exactly on the manifest's lines") {
  constexpr std::uint64_t kRows = 3000;
  constexpr std::uint64_t kBad = 40;
  for (const std::string& name : pipelines::generator_names()) {
    CAPTURE(name);
    TempDir spoiled_dir;
    TempDir clean_dir;
    const auto spoiled = generate(name, kRows, spoiled_dir.path(), 5, kBad);
    const auto clean = generate(name, kRows, clean_dir.path(), 5, 0);
    REQUIRE(spoiled.size() == clean.size());
    std::uint64_t listed = 0;
    for (std::size_t i = 0; i < spoiled.size(); ++i) {
      const auto& file = spoiled[i];
      CAPTURE(file.path.filename().string());
      const auto converted = convert_file(file.path, kind_of(file.path), false);
      if (file.bad_rows == 0) {
        CHECK(file.bad_rows_manifest.empty());
        CHECK_MESSAGE(converted.rejects.empty(), converted.describe_rejects());
        CHECK(read_bytes(file.path) == read_bytes(clean[i].path));
        continue;
      }
      REQUIRE(std::filesystem::exists(file.bad_rows_manifest));
      const auto lines = manifest_lines(file.bad_rows_manifest);
      CHECK(lines.size() == file.bad_rows);
      CHECK(converted.reject_lines() == lines);
      CHECK(converted.rejects.size() == lines.size());
      CHECK(converted.rows + converted.rejects.size() == file.rows);
      listed += lines.size();
      // The good rows are the same bytes as without --bad-rows: only listed lines differ.
      const auto spoiled_lines = read_lines(file.path);
      const auto clean_lines = read_lines(clean[i].path);
      REQUIRE(spoiled_lines.size() == clean_lines.size());
      std::set<std::uint64_t> differing;
      for (std::size_t line = 0; line < spoiled_lines.size(); ++line) {
        if (spoiled_lines[line] != clean_lines[line]) {
          differing.insert(line + 1);
        }
      }
      CHECK(differing == lines);
    }
    CHECK(listed == kBad);
  }
}

TEST_CASE("the manifest says what was spoiled, and the reject agrees on the column") {
  TempDir dir;
  const auto files = generate("case_logs", 500, dir.path(), 3, 8);
  REQUIRE(files.size() == 1);
  std::ifstream manifest(files[0].bad_rows_manifest);
  std::string line;
  std::getline(manifest, line);
  CHECK(line == "# logs.csv: 8 rows spoiled on purpose by dataprocessor --generate (seed 3)");
  const auto converted = convert_file(files[0].path, "case_logs", false);
  std::map<std::uint64_t, std::string> rejected_column;
  for (const auto& reject : converted.rejects) {
    rejected_column[reject.line] = reject.column;
  }
  std::getline(manifest, line);  // column titles
  int checked = 0;
  while (std::getline(manifest, line)) {
    const auto first_tab = line.find('\t');
    const auto second_tab = line.find('\t', first_tab + 1);
    const auto number = std::stoull(line.substr(0, first_tab));
    const std::string column = line.substr(first_tab + 1, second_tab - first_tab - 1);
    CAPTURE(line);
    REQUIRE(rejected_column.count(number) == 1);
    CHECK(rejected_column[number] == column);
    ++checked;
  }
  CHECK(checked == 8);
}

TEST_CASE("bad requests are refused before anything is written") {
  TempDir dir;
  CHECK_THROWS_AS(generate("no_such_kind", 10, dir.path()), pipelines::GenerateUsageError);
  CHECK_THROWS_AS(generate("user_traffic", 10, dir.path(), 1, 11), pipelines::GenerateUsageError);
  CHECK(std::filesystem::is_empty(dir.path()));
  pipelines::GenerateRequest request;
  request.kind = "nope";
  request.rows = 1;
  request.out = dir.path();
  request.show_progress = false;
  CHECK(pipelines::run_generator(request) == 2);
}

}  // namespace
}  // namespace dp::test
