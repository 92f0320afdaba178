#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include "cmd/command_line.hpp"
#include "cmd/pipeline_mode.hpp"
#include "core/config/settings.hpp"
#include "core/util/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {

namespace fs = std::filesystem;

/// The repository's sql/ folder and its SQL test checks (owned by the warehouse SQL).
inline fs::path source_sql_dir() {
  return fs::path(DP_SOURCE_DIR) / "sql";
}
inline fs::path sql_checks_dir() {
  return fs::path(DP_SOURCE_DIR) / "tests" / "sql" / "checks";
}
inline fs::path sql_fixture(const std::string& name) {
  return fs::path(DP_SOURCE_DIR) / "tests" / "sql" / "fixtures" / name;
}
/// The repository's samples/: the real files of every subject.
inline fs::path samples_dir() {
  return fs::path(DP_SAMPLES_DIR);
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A database plus the folders a dataprocessor run needs; the settings point at both.
class PipelineEnvironment {
 public:
  explicit PipelineEnvironment(fs::path sql_dir = source_sql_dir()) {
    settings_.db_string = database_.conninfo();
    settings_.sql_dir = std::move(sql_dir);
    settings_.imports_dir = dir_.path() / "imports";
    settings_.exports_dir = dir_.path() / "exports";
    settings_.logs_dir = dir_.path() / "logs";
    settings_.workers = 2;
    settings_.pipeline_retry_delay_s = std::chrono::milliseconds(100);
  }

  config::Settings& settings() { return settings_; }
  const config::Settings& settings() const { return settings_; }
  const TestDatabase& database() const { return database_; }
  const fs::path& folder() const { return dir_.path(); }

  /// `dataprocessor ARGS` as a child process with this environment's database and folders
  /// (`sql_dir` may name another copy of sql/, e.g. one with a step made to fail).
  util::ProcessResult run_binary(const std::vector<std::string>& args,
                                 const fs::path& sql_dir) const {
    std::vector<std::string> argv{DP_BINARY_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const auto& setting :
         {"db_string=" + settings_.db_string, "sql_dir=" + sql_dir.string(),
          "staging_schema=" + settings_.staging_schema, "dw_schema=" + settings_.dw_schema,
          "workers=" + std::to_string(settings_.workers),
          "exports_dir=" + settings_.exports_dir.string(),
          "logs_dir=" + settings_.logs_dir.string(),
          "imports_dir=" + settings_.imports_dir.string()}) {
      argv.push_back("--set");
      argv.push_back(setting);
    }
    return util::run_process(argv);
  }

  /// As above with this environment's sql/ folder.
  util::ProcessResult run_binary(const std::vector<std::string>& args) const {
    return run_binary(args, settings_.sql_dir);
  }

  /// `dataprocessor --ingest FILES` as a child process (the real loader, ledger and kinds).
  void ingest(const std::vector<fs::path>& files) const {
    std::vector<std::string> args{"--ingest"};
    for (const auto& file : files) {
      args.push_back(file.string());
    }
    const auto result = run_binary(args);
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
  }

  /// `--pipeline [--full]` through the same function main() calls; returns the exit code and
  /// leaves what a user would see in `output`.
  int pipeline(bool full, std::string* output = nullptr) const {
    return pipeline(settings_, full, output);
  }

  /// As above with other settings (e.g. another lock policy), safe to call concurrently.
  static int pipeline(const config::Settings& settings, bool full, std::string* output) {
    cmd::CommandLine command_line;
    command_line.mode = cmd::Mode::kPipeline;
    command_line.full = full;
    std::ostringstream out;
    const int code = cmd::run_pipeline(settings, command_line, out);
    if (output != nullptr) {
      *output = out.str();
    }
    return code;
  }

  /// The search_path the warehouse steps and the SQL checks run with (the settings' schemas).
  std::string step_search_path(pqxx::connection& connection) const {
    return "SET search_path = " + connection.quote_name(settings_.dw_schema) + ", " +
           connection.quote_name(settings_.staging_schema) + ", ingest, public";
  }

  /// Runs SQL with the steps' search_path.
  void exec(const std::string& sql) const {
    pqxx::connection connection(database_.conninfo());
    pqxx::nontransaction work(connection);
    work.exec(step_search_path(connection));
    work.exec(sql);
  }

  /// Rows of a query as text, sorted: order-insensitive comparison of table contents.
  std::vector<std::string> rows(const std::string& sql) const {
    pqxx::connection connection(database_.conninfo());
    pqxx::nontransaction work(connection);
    work.exec(step_search_path(connection));
    std::vector<std::string> out;
    for (const auto& row : work.exec(sql)) {
      std::string line;
      for (const auto& field : row) {
        line += (field.is_null() ? std::string("<null>") : std::string(field.c_str())) + "|";
      }
      out.push_back(std::move(line));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  /// Runs one of tests/sql/checks (offending rows; none = pass) and reports what it found.
  void check(const fs::path& check_file) const {
    INFO("check " << check_file.filename().string());
    const auto offending = rows(read_text(check_file));
    std::string shown;
    for (std::size_t i = 0; i < std::min<std::size_t>(offending.size(), 10); ++i) {
      shown += offending[i] + "\n";
    }
    INFO("first offending rows:\n" << shown);
    CHECK(offending.size() == 0);
  }

 private:
  TestDatabase database_;
  TempDir dir_;
  config::Settings settings_;
};

/// Writes the header (when `header`) and lines first..last (1-based, header counted) of `source`
/// to `target`: sample files split so that keys arrive in several batches.
inline fs::path split_lines(const fs::path& source, const fs::path& target, std::size_t first,
                            std::size_t last, bool header) {
  std::ifstream in(source, std::ios::binary);
  std::ofstream out(target, std::ios::binary);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if ((header && number == 1) || (number >= first && number <= last)) {
      out << line << '\n';
    }
  }
  return target;
}

}  // namespace dp::test
