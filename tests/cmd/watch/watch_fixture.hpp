#pragma once

// What every end-to-end watch test needs: a fresh database, a folder tree (imports/, exports/,
// logs/, and outside/ for writing files before they are dropped), the real binary watching it,
// and ways to wait for the ledger and the folders to show an outcome.

#include <doctest/doctest.h>

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "tests/support/service_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// The course-traffic header every user_traffic file starts with.
inline constexpr const char* kUserTrafficHeader = "user_id,source_id,referred_at,campaign_code\n";

/// One valid user_traffic data row; `id` makes it (and so the file's content) unique.
inline std::string user_traffic_row(std::uint64_t id) {
  char row[128];
  const auto n = std::snprintf(
      row, sizeof row, "%llu,%llu,2024-%02llu-%02lluT%02llu:%02llu:%02lluZ,c%llu\n",
      static_cast<unsigned long long>(1'000'000 + id), static_cast<unsigned long long>(id % 10 + 1),
      static_cast<unsigned long long>(id % 12 + 1), static_cast<unsigned long long>(id % 28 + 1),
      static_cast<unsigned long long>(id % 24), static_cast<unsigned long long>(id % 60),
      static_cast<unsigned long long>((id / 60) % 60), static_cast<unsigned long long>(id % 7));
  return std::string(row, static_cast<std::size_t>(n));
}

/// A valid user_traffic file of `rows` data rows with ids first_id, first_id+1, ...
inline std::string user_traffic_csv(std::uint64_t rows, std::uint64_t first_id = 1) {
  std::string text = kUserTrafficHeader;
  for (std::uint64_t i = 0; i < rows; ++i) {
    text += user_traffic_row(first_id + i);
  }
  return text;
}

/// Writes a large user_traffic file without holding it in memory; returns its size in bytes.
inline std::uint64_t write_large_user_traffic(const fs::path& path, std::uint64_t rows) {
  std::ofstream out(path, std::ios::binary);
  out << kUserTrafficHeader;
  std::string chunk;
  for (std::uint64_t i = 1; i <= rows; ++i) {
    chunk += user_traffic_row(i);
    if (chunk.size() > (1u << 20)) {
      out << chunk;
      chunk.clear();
    }
  }
  out << chunk;
  out.close();
  return fs::file_size(path);
}

inline void write_file(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

/// The service's date folder under .processed/ (local time, like the service).
inline std::string today_folder() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &local);
  return text;
}

/// Names of the regular files directly in `dir` (hidden ones included), sorted.
inline std::set<std::string> regular_files(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && !entry.is_symlink(ec)) {
      names.insert(entry.path().filename().string());
    }
  }
  return names;
}

/// A user other than root for permission tests: the test cluster's owner, the one unprivileged
/// account that may reach the cluster's private socket folder (trust authentication).
inline constexpr const char* kUnprivilegedUser = "dp_pgtest";

/// A database, a folder tree and the real service watching it.
class WatchFixture {
 public:
  WatchFixture()
      : imports_(dir_.path() / "imports"),
        exports_(dir_.path() / "exports"),
        logs_(dir_.path() / "logs"),
        outside_(dir_.path() / "outside") {
    for (const auto& folder : {imports_, exports_, logs_, outside_}) {
      fs::create_directories(folder);
    }
  }

  ~WatchFixture() {
    if (service_ && service_->running()) {
      service_->kill_hard();
    }
  }

  /// Command line of the service: fast settle and rescans so tests stay short.
  std::vector<std::string> args(const std::vector<std::string>& extra_settings) const {
    std::vector<std::string> args{"--watch"};
    const std::vector<std::string> settings{"imports_dir=" + imports_.string(),
                                            "exports_dir=" + exports_.string(),
                                            "logs_dir=" + logs_.string(),
                                            "data_dir=" + (dir_.path() / "var").string(),
                                            "settle_ms=100",
                                            "http_port=0",
                                            "db_retry_max_delay_s=1"};
    for (const auto& setting : settings) {
      args.push_back("--set");
      args.push_back(setting);
    }
    for (const auto& setting : extra_settings) {
      args.push_back("--set");
      args.push_back(setting);
    }
    return args;
  }

  /// Runs the service as the system user `user` from now on (root ignores file modes, so a
  /// permission test proves nothing as root): the fixture's folders are handed to that user,
  /// and the binary is started through setpriv, which execs it (the pid stays the service's).
  void run_as(const std::string& user) {
    const passwd* account = ::getpwnam(user.c_str());
    REQUIRE(account != nullptr);
    uid_ = account->pw_uid;
    gid_ = account->pw_gid;
    chown_tree(dir_.path());
  }

  /// Hands `path` and everything below it to the run_as user (after the test created files).
  void chown_tree(const fs::path& path) const {
    REQUIRE(::lchown(path.c_str(), uid_, gid_) == 0);
    if (fs::is_directory(fs::symlink_status(path))) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        REQUIRE(::lchown(entry.path().c_str(), uid_, gid_) == 0);
      }
    }
  }

  /// Starts (or restarts) the service and waits until it watches imports/.
  ServiceProcess& start(const std::vector<std::string>& extra_settings = {},
                        const std::string& conninfo = {}) {
    ProcessSpec spec;
    spec.args = args(extra_settings);
    if (uid_ != 0) {
      spec.binary = "/usr/bin/setpriv";
      spec.args.insert(spec.args.begin(),
                       {"--reuid=" + std::to_string(uid_), "--regid=" + std::to_string(gid_),
                        "--clear-groups", "--", DP_BINARY_PATH});
    }
    spec.working_dir = dir_.path();
    spec.output_file = dir_.path() / ("service-" + std::to_string(++starts_) + ".log");
    // The connection string comes through the environment, as in the container.
    spec.env = {{"DB_STRING", conninfo_for_service(conninfo.empty() ? db_.conninfo() : conninfo)}};
    // The crash tests run a second time with every file split (tests/CMakeLists.txt).
    if (const char* threshold = std::getenv("PARALLEL_COPY_MIN_BYTES")) {
      spec.env.emplace_back("PARALLEL_COPY_MIN_BYTES", threshold);
    }
    service_ = std::make_unique<ServiceProcess>(spec);
    const bool watching = service_->wait_for_output(" workers", 60s);
    INFO("service output:\n" << service_->output());
    REQUIRE(watching);
    return *service_;
  }

  ServiceProcess& service() { return *service_; }

  /// The connection string the service is given: a run_as service cannot read the test
  /// cluster's password file (0600, root's), so it gets a copy of its own in the fixture folder.
  std::string conninfo_for_service(std::string conninfo) const {
    static constexpr std::string_view kKey = "passfile=";
    const auto at = conninfo.find(kKey);
    if (uid_ == 0 || at == std::string::npos) {
      return conninfo;
    }
    const auto begin = at + kKey.size();
    const auto end = conninfo.find(' ', begin);
    const auto length = end == std::string::npos ? std::string::npos : end - begin;
    const fs::path copy = dir_.path() / "service.pgpass";
    fs::copy_file(conninfo.substr(begin, length), copy, fs::copy_options::overwrite_existing);
    REQUIRE(::chown(copy.c_str(), uid_, gid_) == 0);
    fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write);
    conninfo.replace(begin, length, copy.string());
    return conninfo;
  }

  /// SIGTERM; the exit code (0 expected).
  int stop() { return service_->terminate(); }

  /// Points the fixture's queries (scalar, count, wait_for) at another database, e.g. a private
  /// cluster the test stops and starts.
  void query_database(const std::string& conninfo) { query_conninfo_ = conninfo; }

  /// First column of the first row as text ("" for NULL or no row).
  std::string scalar(const std::string& sql) const {
    if (query_conninfo_.empty()) {
      return db_.scalar(sql);
    }
    pqxx::connection connection(query_conninfo_);
    pqxx::nontransaction work(connection);
    const auto result = work.exec(sql);
    return result.empty() || result[0][0].is_null() ? std::string() : result[0][0].c_str();
  }
  long long count(const std::string& sql) const {
    const auto text = scalar(sql);
    return text.empty() ? 0 : std::stoll(text);
  }
  /// Waits until `sql` returns `expected`; false (with the last value in the log) on timeout.
  bool wait_for(const std::string& sql, const std::string& expected,
                std::chrono::milliseconds timeout = 60s) const {
    std::string last;
    const bool ok = wait_until(
        [&] {
          last = scalar(sql);
          return last == expected;
        },
        timeout, 100ms);
    if (!ok) {
      MESSAGE("waited for [" << sql << "] = " << expected << ", last value " << last);
    }
    return ok;
  }

  /// Writes the file in outside/ and renames it into imports/ (atomic, as a careful writer does).
  fs::path drop(const std::string& name, const std::string& content) const {
    const auto staged = outside_ / name;
    write_file(staged, content);
    const auto target = imports_ / name;
    fs::rename(staged, target);
    return target;
  }

  const TestDatabase& db() const { return db_; }
  const fs::path& root() const { return dir_.path(); }
  const fs::path& imports() const { return imports_; }
  const fs::path& exports() const { return exports_; }
  const fs::path& outside() const { return outside_; }
  fs::path processed() const { return imports_ / ".processed" / today_folder(); }
  fs::path failed() const { return imports_ / ".failed"; }

  /// The service's log(s) so far, for failure messages.
  std::string service_output() const { return service_ ? service_->output() : std::string(); }

 private:
  TestDatabase db_;
  TempDir dir_;
  fs::path imports_;
  fs::path exports_;
  fs::path logs_;
  fs::path outside_;
  std::unique_ptr<ServiceProcess> service_;
  std::string query_conninfo_;
  int starts_ = 0;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
};

}  // namespace dp::test
