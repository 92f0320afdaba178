#pragma once

// What the end-to-end tests of the one-shot modes need: a fresh database, a folder tree, and the
// real binary run to completion with the test's settings.

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/service_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {

namespace fs = std::filesystem;

/// Valid user_traffic data rows (no header); `first_id` keeps contents distinct.
inline std::string traffic_rows(std::uint64_t rows, std::uint64_t first_id = 1) {
  std::string text;
  for (std::uint64_t id = first_id; id < first_id + rows; ++id) {
    text += std::to_string(id) + "," + std::to_string(id % 10 + 1) + ",2024-07-" +
            (id % 28 + 1 < 10 ? "0" : "") + std::to_string(id % 28 + 1) + "T10:00:00Z,c" +
            std::to_string(id % 7) + "\n";
  }
  return text;
}

/// A valid user_traffic file: the header and traffic_rows(rows, first_id).
inline std::string traffic_csv(std::uint64_t rows, std::uint64_t first_id = 1) {
  return "user_id,source_id,referred_at,campaign_code\n" + traffic_rows(rows, first_id);
}

/// The run in words, for INFO() at the call site.
inline std::string describe(const CompletedProcess& run) {
  return "exit " + std::to_string(run.exit_code) + "\n--- stdout:\n" + run.out + "--- stderr:\n" +
         run.err;
}

/// A database, imports/, exports/, a data/ folder for the named files, and the binary.
class OneShotFixture {
 public:
  OneShotFixture()
      : imports_(dir_.path() / "imports"),
        exports_(dir_.path() / "exports"),
        data_(dir_.path() / "data") {
    for (const auto& folder : {imports_, exports_, data_}) {
      fs::create_directories(folder);
    }
  }

  /// Runs `dataprocessor ARGS... --set <this fixture's folders>` with DB_STRING in the
  /// environment; stdout and stderr come back apart.
  CompletedProcess run(const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& env = {}) const {
    ProcessSpec spec;
    spec.args = args;
    for (const auto& setting :
         {"imports_dir=" + imports_.string(), "exports_dir=" + exports_.string(),
          "logs_dir=" + (dir_.path() / "logs").string(),
          "data_dir=" + (dir_.path() / "var").string(), std::string("http_port=0")}) {
      spec.args.push_back("--set");
      spec.args.push_back(setting);
    }
    spec.working_dir = dir_.path();
    spec.output_file = dir_.path() / ("run-" + std::to_string(++runs_) + ".out");
    spec.env = env;
    spec.env.emplace_back("DB_STRING", db_.conninfo());
    return run_to_completion(spec);
  }

  /// Writes a file into data/ and returns its path.
  fs::path data_file(const std::string& name, const std::string& content) const {
    const auto path = data_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string scalar(const std::string& sql) const { return db_.scalar(sql); }
  const std::string& conninfo() const { return db_.conninfo(); }
  const fs::path& imports() const { return imports_; }
  const fs::path& exports() const { return exports_; }
  const fs::path& root() const { return dir_.path(); }

 private:
  TestDatabase db_;
  TempDir dir_;
  fs::path imports_;
  fs::path exports_;
  fs::path data_;
  mutable int runs_ = 0;
};

}  // namespace dp::test
