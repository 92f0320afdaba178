// A new user's first minutes, from a folder that is not the repository: the binary on its
// embedded PostgreSQL finds its SQL beside itself, and the README's quick start works line by
// line as it is written there.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/db/embedded_postgres.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// Stops an embedded cluster left running in `root` (a test that failed half-way), so that no
/// server outlives its deleted folder.
class EmbeddedClusterGuard {
 public:
  explicit EmbeddedClusterGuard(fs::path root) : root_(std::move(root)) {}
  ~EmbeddedClusterGuard() {
    if (!running()) {
      return;
    }
    try {
      db::EmbeddedPostgresOptions options;
      options.root = root_;
      db::EmbeddedPostgres cluster(options);
      cluster.start();
      cluster.adopt_for_test();
      cluster.stop_for_test();
    } catch (...) {
    }
  }
  EmbeddedClusterGuard(const EmbeddedClusterGuard&) = delete;
  EmbeddedClusterGuard& operator=(const EmbeddedClusterGuard&) = delete;

  /// Whether a server runs on the folder (its postmaster.pid exists).
  bool running() const { return fs::exists(root_ / "pgdata" / "postmaster.pid"); }

 private:
  fs::path root_;
};

/// A program run in `dir` with the test's clean environment.
CompletedProcess run_in(const fs::path& dir, const fs::path& program,
                        const std::vector<std::string>& args, const std::string& label) {
  ProcessSpec spec;
  spec.binary = program;
  spec.args = args;
  spec.working_dir = dir;
  spec.output_file = dir / (label + ".out");
  return run_to_completion(spec, 300s);
}

std::string describe(const CompletedProcess& run) {
  return "exit " + std::to_string(run.exit_code) + "\n--- stdout:\n" + run.out + "--- stderr:\n" +
         run.err;
}

/// The shell lines of the README's quick start, between its quickstart markers, with their
/// trailing comments removed.
std::vector<std::string> readme_quickstart_lines() {
  std::ifstream readme(fs::path(DP_SOURCE_DIR) / "README.md");
  std::vector<std::string> lines;
  bool inside = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.rfind("<!-- quickstart:begin", 0) == 0) {
      inside = true;
    } else if (line.rfind("<!-- quickstart:end", 0) == 0) {
      inside = false;
    } else if (inside && !line.empty() && line.rfind("```", 0) != 0 && line[0] != '#') {
      const std::size_t comment = line.find(" #");
      std::string command = line.substr(0, comment);
      command.erase(command.find_last_not_of(' ') + 1);
      lines.push_back(command);
    }
  }
  return lines;
}

/// The .csv files exactly `depth` folders below `dir` (`samples/*/*.csv` is depth 2).
long long csv_files(const fs::path& dir, int depth) {
  long long count = 0;
  for (auto entry = fs::recursive_directory_iterator(dir);
       entry != fs::recursive_directory_iterator(); ++entry) {
    count += entry.depth() == depth - 1 && entry->is_regular_file() &&
             entry->path().extension() == ".csv";
  }
  return count;
}

/// A folder laid out as a user's clone is after `./scripts/run.sh` built it: samples/ and
/// build/dataprocessor (a link to the binary under test), and nothing else of the repository.
struct UserFolder {
  TempDir dir;
  fs::path root = dir.path() / "clone";
  UserFolder() {
    fs::create_directories(root / "build");
    fs::create_directories(root / "imports");
    fs::copy(DP_SAMPLES_DIR, root / "samples", fs::copy_options::recursive);
    fs::create_symlink(DP_BINARY_PATH, root / "build" / "dataprocessor");
  }
};

TEST_CASE("--init-db from a folder that is not the repository, on the embedded default") {
  TempDir elsewhere;
  EmbeddedClusterGuard guard(elsewhere.path() / "var");
  const auto first = run_in(elsewhere.path(), DP_BINARY_PATH, {"--init-db"}, "init-1");
  INFO(describe(first));
  REQUIRE(first.exit_code == 0);
  CHECK(fs::is_directory(elsewhere.path() / "var" / "pgdata"));
  // --init-db started the cluster, so it stopped it again on exit.
  CHECK_FALSE(guard.running());

  const auto again = run_in(elsewhere.path(), DP_BINARY_PATH, {"--init-db"}, "init-2");
  INFO(describe(again));
  CHECK(again.exit_code == 0);

  // An explicit sql_dir still wins over the folder beside the executable.
  const auto nowhere = elsewhere.path() / "nowhere";
  const auto explicit_dir = run_in(elsewhere.path(), DP_BINARY_PATH,
                                   {"--set", "sql_dir=" + nowhere.string(), "--init-db"}, "init-3");
  INFO(describe(explicit_dir));
  CHECK(explicit_dir.exit_code != 0);
  CHECK(explicit_dir.err.find((nowhere / "migrations").string()) != std::string::npos);
}

TEST_CASE("the README's quick start, line by line, on the embedded default") {
  const auto lines = readme_quickstart_lines();
  REQUIRE(lines.size() >= 4);
  REQUIRE(lines.front().rfind("cp samples/", 0) == 0);

  // `./scripts/run.sh` installs, builds, then runs build/dataprocessor in the clone's folder.
  const std::string run_script = read_file_text(fs::path(DP_SOURCE_DIR) / "scripts" / "run.sh");
  REQUIRE(run_script.find("exec ./build/dataprocessor \"$@\"") != std::string::npos);

  UserFolder user;
  EmbeddedClusterGuard guard(user.root / "var");
  ProcessSpec service_spec;
  service_spec.binary = user.root / "build" / "dataprocessor";
  service_spec.working_dir = user.root;
  service_spec.output_file = user.dir.path() / "service.log";
  // Port 8080 may be taken on a test machine running suites in parallel; nothing here uses it.
  service_spec.env = {{"HTTP_PORT", "0"}};
  ServiceProcess service(service_spec);
  REQUIRE_MESSAGE(service.wait_for_output(" workers", 120s), service.output());

  const long long samples = csv_files(user.root / "samples", 2);
  REQUIRE(samples == 15);

  for (const std::string& line : lines) {
    CAPTURE(line);
    if (line.rfind("xdg-open ", 0) == 0) {
      const fs::path report = user.root / line.substr(std::string("xdg-open ").size());
      const std::string html = read_file_text(report);
      CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
      CHECK(html.find("<svg") != std::string::npos);
      continue;
    }
    const auto run = run_in(user.root, "/bin/sh", {"-c", line}, "step");
    INFO(describe(run));
    REQUIRE(run.exit_code == 0);
    if (line.rfind("cp samples/", 0) == 0) {
      // The user watches --status until the files are in; so does the test.
      std::string last;
      const bool loaded = wait_until(
          [&] {
            const auto status = run_in(user.root, user.root / "build" / "dataprocessor",
                                       {"--status", "--json"}, "status");
            last = status.out;
            const auto json = nlohmann::json::parse(status.out, nullptr, false);
            return !json.is_discarded() && json["last_24h"].value("loaded", 0) == samples;
          },
          180s, 500ms);
      INFO("last --status --json:\n" << last << "\nservice:\n" << service.output());
      REQUIRE(loaded);
      CHECK(csv_files(user.root / "imports" / ".processed", 2) == samples);
    }
    if (line.find("--status") != std::string::npos) {
      CHECK(run.out.find(std::to_string(samples) + " loaded") != std::string::npos);
      CHECK(run.out.find("Failures:\n  (none)") != std::string::npos);
    }
    if (line.find("--analysis") != std::string::npos) {
      CHECK(fs::is_regular_file(user.root / "exports" / "analysis" / "report.html"));
    }
  }
  CHECK(service.terminate() == 0);
  CHECK_FALSE(guard.running());
}

}  // namespace
}  // namespace dp::test
