// Every sample file (and the fixtures of each kind) loads to the same staging rows as the C++
// kinds loaded before they became TOML declarations: a digest per table, computed with the C++
// kinds and checked in as tests/data/staging_digest.txt, must not change.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/pipelines/kind_test_support.hpp"

namespace dp::test {
namespace {

namespace fs = std::filesystem;

/// The sample files, then the kind fixtures that exercise rejects, in a fixed order.
std::vector<fs::path> digest_inputs() {
  std::vector<fs::path> files;
  const auto add_tree = [&](const fs::path& root) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && (name.ends_with(".csv") || name.ends_with(".csv.gz"))) {
        found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  };
  add_tree(DP_SAMPLES_DIR);
  for (const char* kind_fixtures : {"analyst_snapshots", "bad_input", "case_logs", "habit_records",
                                    "title_data", "user_traffic"}) {
    add_tree(fixture(kind_fixtures));
  }
  return files;
}

/// The kind the dispatcher would pick for a file by its name; a fixture of tests/data/<kind>/
/// that no name claims is read as that folder's kind.
const pipeline::Pipeline* kind_of(const fs::path& path) {
  const auto by_name = all_kinds().match_name(path.filename().string());
  if (by_name.size() == 1) {
    return by_name.front();
  }
  return all_kinds().find(path.parent_path().filename().string());
}

/// One line per input (rows and reject lines) and one per staging table (rows and an md5 of
/// every row as JSON in lineage order).
std::string compute_digest() {
  TestDatabase db;
  std::string digest;
  std::vector<std::string> tables;
  std::int64_t file_id = 0;
  for (const fs::path& path : digest_inputs()) {
    const pipeline::Pipeline* kind = kind_of(path);
    const std::string relative = fs::relative(path, DP_SOURCE_DIR).string();
    if (kind == nullptr) {
      digest += "file " + relative + " no kind\n";
      continue;
    }
    ++file_id;
    ConvertedFile converted;
    try {
      converted = convert_file(path, *kind, true, file_id);
    } catch (const std::exception&) {
      digest += "file " + relative + " kind " + std::string(kind->name()) + " fails\n";
      continue;
    }
    load_into(db, *kind, converted);
    std::string lines;
    for (const std::uint64_t line : converted.reject_lines()) {
      lines += " " + std::to_string(line);
    }
    digest += "file " + relative + " kind " + std::string(kind->name()) + " rows " +
              std::to_string(converted.rows) + " rejects" + lines + "\n";
    const std::string table = kind->staging_model().table;
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
      tables.push_back(table);
    }
  }
  std::sort(tables.begin(), tables.end());
  for (const std::string& table : tables) {
    digest += "table " + table + " " +
              db.scalar(
                  "SET TimeZone TO 'UTC'; SELECT count(*) || ' ' || "
                  "md5(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY file_id, line_no)) "
                  "FROM staging." +
                  table + " t") +
              "\n";
  }
  return digest;
}

TEST_CASE("every sample and kind fixture loads to the staging rows recorded before the move") {
  const fs::path recorded = fixture("staging_digest.txt");
  const std::string digest = compute_digest();
  if (std::getenv("DP_WRITE_STAGING_DIGEST") != nullptr) {
    std::ofstream(recorded, std::ios::binary) << digest;
  }
  CHECK(digest == read_bytes(recorded));
}

}  // namespace
}  // namespace dp::test
