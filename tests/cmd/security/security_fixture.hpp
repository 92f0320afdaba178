#pragma once

// What the end-to-end security tests share: an unprivileged user to run the service as (root
// ignores file modes, so a permission test run as root proves nothing), a folder tree that user
// owns, the service started as that user on its own embedded cluster, and CPU-time readings.

#include <doctest/doctest.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/db/embedded_postgres.hpp"
#include "tests/cmd/watch/watch_fixture.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::test {

/// A local account, copied out of getpwnam's static buffer.
struct TestUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

/// The system user the permission tests run the service as; created on first use.
inline TestUser unprivileged_user() {
  const std::string name = "dp_harden_test";
  if (getpwnam(name.c_str()) == nullptr) {
    const auto command =
        "useradd --system --no-create-home --shell /usr/sbin/nologin " + name + " 2>/dev/null";
    (void)std::system(command.c_str());
  }
  const struct passwd* user = getpwnam(name.c_str());
  REQUIRE(user != nullptr);
  return {user->pw_name, user->pw_uid, user->pw_gid};
}

/// Mode bits of a path (not following a link).
inline mode_t mode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

/// User plus system CPU time the process has used so far, in seconds.
inline double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name in parentheses; utime and stime are fields 14 and 15.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) {
      utime = std::stoull(field);
    } else if (index == 15) {
      stime = std::stoull(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// The service run by the unprivileged user on a tree it owns, with its own embedded cluster
/// (no db_string): the deployment an operator who does not run it as root has.
class UnprivilegedService {
 public:
  UnprivilegedService()
      : user_(unprivileged_user()),
        imports_(dir_.path() / "imports"),
        exports_(dir_.path() / "exports"),
        logs_(dir_.path() / "logs") {
    for (const auto& folder : {imports_, exports_, logs_, dir_.path() / "outside"}) {
      fs::create_directories(folder);
    }
  }

  ~UnprivilegedService() {
    if (service_ && service_->running()) {
      service_->kill_hard();
    }
    // A cluster left behind by a failed test would outlive its deleted folder.
    if (fs::exists(dir_.path() / "var" / "pgdata" / "postmaster.pid")) {
      const auto command = "setpriv --reuid=" + std::to_string(user_.uid) +
                           " --regid=" + std::to_string(user_.gid) + " --clear-groups -- " +
                           (db::EmbeddedPostgres::find_bin_dir() / "pg_ctl").string() + " -D " +
                           (dir_.path() / "var" / "pgdata").string() +
                           " -m immediate stop > /dev/null 2>&1";
      (void)std::system(command.c_str());
    }
  }

  /// Hands the whole tree to the user; the tree's own folders are world-searchable (0755), as
  /// an operator's folders usually are, so only the modes the service gives count.
  void give_tree_to_user() const {
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
      REQUIRE(::lchown(entry.path().c_str(), user_.uid, user_.gid) == 0);
    }
    REQUIRE(::chown(dir_.path().c_str(), user_.uid, user_.gid) == 0);
    for (const auto& folder : {dir_.path(), imports_, exports_, logs_}) {
      fs::permissions(folder, fs::perms(0755), fs::perm_options::replace);
    }
  }

  /// Starts the watcher as the user and waits until it watches imports/.
  ServiceProcess& start(const std::vector<std::string>& extra_settings = {}) {
    give_tree_to_user();
    ProcessSpec spec;
    spec.binary = "/usr/bin/setpriv";
    spec.args = {"--reuid=" + std::to_string(user_.uid),
                 "--regid=" + std::to_string(user_.gid),
                 "--clear-groups",
                 "--",
                 DP_BINARY_PATH,
                 "--watch"};
    std::vector<std::string> settings{"imports_dir=" + imports_.string(),
                                      "exports_dir=" + exports_.string(),
                                      "logs_dir=" + logs_.string(),
                                      "data_dir=" + (dir_.path() / "var").string(),
                                      "settle_ms=100",
                                      "http_port=0"};
    settings.insert(settings.end(), extra_settings.begin(), extra_settings.end());
    for (const auto& setting : extra_settings) {
      if (setting.rfind("embedded_pg_port=", 0) == 0) {
        pg_port_ = std::stoi(setting.substr(setting.find('=') + 1));
      }
    }
    for (const auto& setting : settings) {
      spec.args.push_back("--set");
      spec.args.push_back(setting);
    }
    spec.working_dir = dir_.path();
    spec.output_file = dir_.path() / "outside" / "service.log";
    service_ = std::make_unique<ServiceProcess>(spec);
    const bool watching = service_->wait_for_output(" workers", 120s);
    INFO("service output:\n" << service_->output());
    REQUIRE(watching);
    return *service_;
  }

  /// The service's database, as root reads it (root may read the user's password file).
  std::string conninfo(const std::string& database = "dataprocessor") const {
    return "host=" + (dir_.path() / "var" / "pgrun").string() +
           " port=" + std::to_string(pg_port_) + " user=" + user_.name +
           " passfile=" + (dir_.path() / "var" / "pgpass").string() + " dbname=" + database;
  }

  std::string scalar(const std::string& sql) const {
    pqxx::connection connection(conninfo());
    pqxx::nontransaction work(connection);
    const auto result = work.exec(sql);
    return result.empty() || result[0][0].is_null() ? std::string() : result[0][0].c_str();
  }

  bool wait_for(const std::string& sql, const std::string& expected,
                std::chrono::milliseconds timeout = 60s) const {
    std::string last;
    const bool ok = wait_until(
        [&] {
          try {
            last = scalar(sql);
            return last == expected;
          } catch (const std::exception& error) {
            last = error.what();
            return false;
          }
        },
        timeout, 100ms);
    if (!ok) {
      MESSAGE("waited for [" << sql << "] = " << expected << ", last: " << last);
    }
    return ok;
  }

  /// Writes the file beside the tree, hands it to the user and renames it into imports/.
  fs::path drop(const std::string& name, const std::string& content) const {
    const auto staged = dir_.path() / "outside" / name;
    write_file(staged, content);
    REQUIRE(::chown(staged.c_str(), user_.uid, user_.gid) == 0);
    fs::rename(staged, imports_ / name);
    return imports_ / name;
  }

  const TestUser& user() const { return user_; }
  const fs::path& root() const { return dir_.path(); }
  const fs::path& imports() const { return imports_; }
  const fs::path& exports() const { return exports_; }
  const fs::path& logs() const { return logs_; }
  ServiceProcess& service() { return *service_; }
  std::string output() const { return service_ ? service_->output() : std::string(); }

 private:
  const TestUser user_;
  TempDir dir_;
  fs::path imports_;
  fs::path exports_;
  fs::path logs_;
  std::unique_ptr<ServiceProcess> service_;
  /// The cluster's port, which also names its socket file.
  int pg_port_ = 5432;
};

}  // namespace dp::test
