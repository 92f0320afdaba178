// The public csv-spectrum corpus (npm package): every csvs/NAME.csv must read to the rows of
// json/NAME.json. Version 1.0.0 is pinned: 2.0.0 only adds location_coordinates, whose JSON
// does not match its own CSV (another phone number, an object instead of an array).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/csv/csv_reader.hpp"
#include "tests/core/csv/csv_test_support.hpp"

namespace dp::csv {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSpectrumVersion = "1.0.0";

fs::path cache_root() {
#ifdef DP_TEST_BUILD_DIR
  return fs::path(DP_TEST_BUILD_DIR) / "csv-spectrum";
#else
  return fs::temp_directory_path() / "csv-spectrum";
#endif
}

/// Fetches and unpacks the package once per build tree; FAILs (never skips) when it cannot.
fs::path spectrum_package() {
  const fs::path root = cache_root();
  const fs::path package = root / (std::string("package-") + kSpectrumVersion);
  if (fs::exists(package / "csvs")) {
    return package;
  }
  fs::create_directories(root);
  // Unpack beside the cache and rename into place, so parallel test runs never see half a tree.
  const fs::path staging = root / ("unpack-" + std::to_string(::getpid()));
  fs::remove_all(staging);
  fs::create_directories(staging);
  const fs::path log = root / "npm-pack.log";
  const std::string tarball = std::string("csv-spectrum-") + kSpectrumVersion + ".tgz";
  const std::string command = "cd '" + staging.string() + "' && npm pack csv-spectrum@" +
                              kSpectrumVersion + " > '" + log.string() + "' 2>&1 && tar xzf " +
                              tarball + " >> '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  if (status != 0) {
    fs::remove_all(staging);
    FAIL("could not fetch the csv-spectrum corpus with npm (command: " << command << "); see "
                                                                       << log);
  }
  std::error_code ignored;
  fs::rename(staging / "package", package, ignored);  // another run may have won the race
  fs::remove_all(staging);
  REQUIRE_MESSAGE(fs::exists(package / "csvs"), "npm pack gave no csvs/ folder; see " << log);
  return package;
}

using Rows = std::vector<std::vector<std::string>>;

/// Header plus rows, each as strings; fails the test on any reader error.
Rows read_rows(std::unique_ptr<ByteSource> source) {
  Rows rows;
  for (const auto& item : test::read_all_for_test(std::move(source))) {
    INFO(test::describe_for_test(item));
    REQUIRE(item.status == ReadStatus::kRow);
    rows.push_back(item.fields);
  }
  return rows;
}

void check_against_json(const Rows& rows, const nlohmann::json& expected) {
  REQUIRE(expected.is_array());
  REQUIRE(!rows.empty());
  const auto& header = rows.front();
  REQUIRE(rows.size() == expected.size() + 1);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    const auto& object = expected[i];
    const auto& row = rows[i + 1];
    REQUIRE(row.size() == header.size());
    CHECK(object.size() == header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
      CAPTURE(header[c]);
      REQUIRE(object.contains(header[c]));
      CHECK(object.at(header[c]).get<std::string>() == row[c]);
    }
  }
}

TEST_CASE("csv-spectrum: every corpus file reads to its JSON rows") {
  const fs::path package = spectrum_package();
  std::vector<fs::path> csvs;
  for (const auto& entry : fs::directory_iterator(package / "csvs")) {
    if (entry.path().extension() == ".csv") {
      csvs.push_back(entry.path());
    }
  }
  std::sort(csvs.begin(), csvs.end());
  REQUIRE(csvs.size() == 11);
  for (const auto& csv : csvs) {
    CAPTURE(csv.filename().string());
    const fs::path json = package / "json" / (csv.stem().string() + ".json");
    const auto expected = nlohmann::json::parse(test::slurp_for_test(json));
    check_against_json(read_rows(open_input(csv.string())), expected);
    check_against_json(
        read_rows(std::make_unique<test::TrickleSource>(open_input(csv.string()), 1)), expected);
  }
}

}  // namespace
}  // namespace dp::csv
