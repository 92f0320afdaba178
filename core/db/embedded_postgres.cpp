#include "core/db/embedded_postgres.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "core/util/process.hpp"

namespace dp::db {
namespace fs = std::filesystem;
namespace {

// A unix socket path must fit sockaddr_un.sun_path (108 bytes) including `.s.PGSQL.NNNNN`.
constexpr std::size_t kMaxSocketDirLength = 80;

int version_of(const fs::path& version_dir) {
  try {
    return std::stoi(version_dir.filename().string());
  } catch (const std::exception&) {
    return -1;
  }
}

struct passwd* lookup_user(const std::string& name) {
  return getpwnam(name.c_str());
}

void ensure_system_user(const std::string& name) {
  if (lookup_user(name) != nullptr) {
    return;
  }
  const auto result = util::run_process(
      {"useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name});
  // Two starters may race to create the user; the loser sees "already exists".
  if (result.exit_code != 0 && lookup_user(name) == nullptr) {
    throw std::runtime_error("cannot create system user " + name +
                             " for PostgreSQL: " + result.output);
  }
}

void chown_tree(const fs::path& path, uid_t uid, gid_t gid) {
  if (chown(path.c_str(), uid, gid) != 0) {
    throw std::runtime_error("cannot chown " + path.string());
  }
}

}  // namespace

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options) : options_(std::move(options)) {
  options_.root = fs::absolute(options_.root);
  data_dir_ = options_.root / "pgdata";
  socket_dir_ = options_.root / "pgrun";
  log_file_ = options_.root / "postgres.log";
  if (socket_dir_.string().size() > kMaxSocketDirLength) {
    // Deep working folders cannot hold a socket; a private folder under /tmp can.
    socket_dir_ = fs::temp_directory_path() /
                  ("dp-pg-" + std::to_string(std::hash<std::string>{}(options_.root.string())));
  }
}

EmbeddedPostgres::~EmbeddedPostgres() {
  try {
    stop();
  } catch (const std::exception& error) {
    spdlog::warn("embedded PostgreSQL did not stop cleanly: {}", error.what());
  }
}

fs::path EmbeddedPostgres::find_bin_dir() {
  if (const auto on_path = util::find_on_path("pg_ctl"); !on_path.empty()) {
    const auto dir = std::filesystem::canonical(on_path).parent_path();
    if (fs::exists(dir / "initdb") && fs::exists(dir / "postgres")) {
      return dir;
    }
  }
  fs::path best;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ignored)) {
    const auto candidate = entry.path() / "bin";
    if (fs::exists(candidate / "initdb") &&
        version_of(entry.path()) > version_of(best.parent_path())) {
      best = candidate;
    }
  }
  if (best.empty()) {
    throw std::runtime_error(
        "no PostgreSQL server binaries found (initdb, pg_ctl) on PATH or under "
        "/usr/lib/postgresql/*/bin: install postgresql-15 or set db_string");
  }
  return best;
}

std::vector<std::string> EmbeddedPostgres::as_cluster_user(std::vector<std::string> argv) const {
  if (!util::running_as_root()) {
    return argv;
  }
  std::vector<std::string> wrapped{"runuser", "-u", options_.system_user, "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

std::string EmbeddedPostgres::role_name() const {
  if (util::running_as_root()) {
    return options_.system_user;
  }
  const struct passwd* self = getpwuid(geteuid());
  return self != nullptr ? self->pw_name : "postgres";
}

void EmbeddedPostgres::prepare_folders() {
  fs::create_directories(options_.root);
  fs::create_directories(socket_dir_);
  fs::permissions(socket_dir_, fs::perms::owner_all, fs::perm_options::replace);
  if (!util::running_as_root()) {
    return;
  }
  ensure_system_user(options_.system_user);
  const struct passwd* user = lookup_user(options_.system_user);
  if (user == nullptr) {
    throw std::runtime_error("system user " + options_.system_user + " vanished");
  }
  chown_tree(options_.root, user->pw_uid, user->pw_gid);
  if (util::run_process(as_cluster_user({"test", "-x", options_.root.string()})).exit_code != 0) {
    // A parent folder the cluster user cannot enter (e.g. a checkout under /root, mode 0700):
    // keep the cluster in a system folder rather than loosening the user's permissions.
    const auto fallback = fs::path("/var/lib/dataprocessor") /
                          std::to_string(std::hash<std::string>{}(options_.root.string()));
    spdlog::warn("embedded PostgreSQL: {} is not reachable by system user {}; using {} instead",
                 options_.root.string(), options_.system_user, fallback.string());
    if (socket_dir_.parent_path() == options_.root) {
      socket_dir_ = fallback / "pgrun";
    }
    options_.root = fallback;
    data_dir_ = fallback / "pgdata";
    log_file_ = fallback / "postgres.log";
    fs::create_directories(fallback);
    fs::create_directories(socket_dir_);
    fs::permissions(socket_dir_, fs::perms::owner_all, fs::perm_options::replace);
    chown_tree(fallback.parent_path(), 0, 0);
    chown_tree(fallback, user->pw_uid, user->pw_gid);
  }
  chown_tree(socket_dir_, user->pw_uid, user->pw_gid);
  if (fs::exists(data_dir_)) {
    chown_tree(data_dir_, user->pw_uid, user->pw_gid);
  }
  if (!fs::exists(log_file_)) {
    std::ofstream{log_file_};
  }
  chown_tree(log_file_, user->pw_uid, user->pw_gid);
}

void EmbeddedPostgres::init_cluster() {
  if (fs::exists(data_dir_ / "PG_VERSION")) {
    return;
  }
  spdlog::info("embedded PostgreSQL: creating a new cluster in {}", data_dir_.string());
  std::vector<std::string> argv{(bin_dir_ / "initdb").string(),
                                "-A",
                                "trust",
                                "-E",
                                "UTF8",
                                "--locale=C.UTF-8",
                                "-D",
                                data_dir_.string()};
  if (!options_.fsync) {
    argv.push_back("--no-sync");
  }
  const auto result = util::run_process(as_cluster_user(argv));
  if (result.exit_code != 0) {
    throw std::runtime_error("initdb failed for " + data_dir_.string() + ": " + result.output);
  }
}

bool EmbeddedPostgres::server_running() const {
  if (!fs::exists(data_dir_ / "postmaster.pid")) {
    return false;
  }
  const auto result = util::run_process(
      as_cluster_user({(bin_dir_ / "pg_ctl").string(), "status", "-D", data_dir_.string()}));
  return result.exit_code == 0;
}

void EmbeddedPostgres::start() {
  if (started_) {
    return;
  }
  bin_dir_ = find_bin_dir();
  prepare_folders();
  init_cluster();
  if (server_running()) {
    reused_ = true;
    spdlog::info("embedded PostgreSQL already running in {}; reusing it", data_dir_.string());
    return;
  }
  const int port = options_.tcp_port > 0 ? options_.tcp_port : kEmbeddedSocketPort;
  std::string server_options =
      "-p " + std::to_string(port) + " -k " + socket_dir_.string() + " -c listen_addresses=" +
      (options_.tcp_port > 0 ? std::string("127.0.0.1") : std::string("''"));
  if (!options_.fsync) {
    server_options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  }
  const auto result = util::run_process(
      as_cluster_user({(bin_dir_ / "pg_ctl").string(), "-w", "-t", "60", "-D", data_dir_.string(),
                       "-l", log_file_.string(), "-o", server_options, "start"}));
  if (result.exit_code != 0) {
    std::string log_tail;
    std::ifstream log(log_file_);
    std::string line;
    while (std::getline(log, line)) {
      log_tail += line + "\n";
      if (log_tail.size() > 4000) {
        log_tail.erase(0, log_tail.size() - 4000);
      }
    }
    throw std::runtime_error("pg_ctl start failed: " + result.output + "\n" + log_tail);
  }
  started_ = true;
  spdlog::info("embedded PostgreSQL {} running: data {}, socket {}; connect with: {}",
               bin_dir_.parent_path().filename().string(), data_dir_.string(), socket_dir_.string(),
               psql_command("dataprocessor"));
}

void EmbeddedPostgres::stop() {
  if (!started_) {
    return;
  }
  started_ = false;
  const auto result =
      util::run_process(as_cluster_user({(bin_dir_ / "pg_ctl").string(), "-w", "-t", "60", "-D",
                                         data_dir_.string(), "-m", "fast", "stop"}));
  if (result.exit_code != 0) {
    throw std::runtime_error("pg_ctl stop failed: " + result.output);
  }
  spdlog::info("embedded PostgreSQL stopped");
}

std::string EmbeddedPostgres::conninfo(const std::string& database) const {
  const int port = options_.tcp_port > 0 ? options_.tcp_port : kEmbeddedSocketPort;
  return "host=" + socket_dir_.string() + " port=" + std::to_string(port) + " user=" + role_name() +
         " dbname=" + database;
}

std::string EmbeddedPostgres::psql_command(const std::string& database) const {
  const int port = options_.tcp_port > 0 ? options_.tcp_port : kEmbeddedSocketPort;
  return "psql -h " + socket_dir_.string() + " -p " + std::to_string(port) + " -U " + role_name() +
         " " + database;
}

}  // namespace dp::db
