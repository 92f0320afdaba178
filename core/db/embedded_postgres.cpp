#include "core/db/embedded_postgres.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <libpq-fe.h>
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

/// Changes the owner of a folder the operator configured (data_dir): its path is trusted.
void chown_configured(const fs::path& path, uid_t uid, gid_t gid) {
  if (chown(path.c_str(), uid, gid) != 0) {
    throw std::runtime_error("cannot chown " + path.string());
  }
}

/// Changes the owner of an entry inside data_dir, which the cluster user can write: never
/// through a link it may have planted there (root would otherwise hand it any file).
void chown_entry(const fs::path& path, uid_t uid, gid_t gid) {
  if (lchown(path.c_str(), uid, gid) != 0) {
    throw std::runtime_error("cannot chown " + path.string());
  }
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  std::size_t filled = 0;
  while (filled < bytes) {
    const auto n = getrandom(raw.data() + filled, bytes - filled, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    filled += static_cast<std::size_t>(n);
  }
  std::string hex;
  for (const unsigned char c : raw) {
    hex += fmt::format("{:02x}", c);
  }
  return hex;
}

/// Creates `path` exclusively (no link followed, nothing replaced) with mode 0600, owned by
/// uid:gid, holding `content`.
void write_private_file(const fs::path& path, const std::string& content, uid_t uid, gid_t gid) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot create " + path.string());
  }
  const bool ok =
      ::fchown(fd, uid, gid) == 0 &&
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write " + path.string());
  }
}

std::string read_private_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot read " + path.string());
  }
  std::string content(4096, '\0');
  const auto n = ::read(fd, content.data(), content.size());
  ::close(fd);
  content.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return content;
}

/// Every login needs the password: on the socket, and on TCP when embedded_pg_port is set.
constexpr const char* kHbaConf =
    "# Written by dataprocessor: every login needs the generated password (data_dir/pgpass).\n"
    "local all all scram-sha-256\n"
    "host all all 127.0.0.1/32 scram-sha-256\n"
    "host all all ::1/128 scram-sha-256\n"
    "local replication all scram-sha-256\n"
    "host replication all 127.0.0.1/32 scram-sha-256\n"
    "host replication all ::1/128 scram-sha-256\n";

bool allows_trust(const fs::path& hba_file) {
  std::ifstream in(hba_file);
  std::string line;
  while (std::getline(in, line)) {
    const auto start = line.find_first_not_of(" \t");
    if (start != std::string::npos && line[start] != '#' &&
        line.find("trust") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options) : options_(std::move(options)) {
  options_.root = fs::absolute(options_.root);
  data_dir_ = options_.root / "pgdata";
  socket_dir_ = options_.root / "pgrun";
  log_file_ = options_.root / "postgres.log";
  password_file_ = options_.root / "pgpass";
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
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (util::running_as_root()) {
    ensure_system_user(options_.system_user);
    const struct passwd* user = lookup_user(options_.system_user);
    if (user == nullptr) {
      throw std::runtime_error("system user " + options_.system_user + " vanished");
    }
    uid = user->pw_uid;
    gid = user->pw_gid;
    chown_configured(options_.root, uid, gid);
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
      chown_configured(fallback.parent_path(), 0, 0);
      chown_configured(fallback, uid, gid);
    }
  }
  password_file_ = options_.root / "pgpass";
  prepare_socket_dir(uid, gid);
  if (!util::running_as_root()) {
    return;
  }
  if (fs::exists(fs::symlink_status(data_dir_))) {
    chown_entry(data_dir_, uid, gid);
  }
  const int log = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (log < 0) {
    throw std::system_error(errno, std::generic_category(),
                            "cannot create " + log_file_.string() + " (a link there is refused)");
  }
  const bool owned = ::fchown(log, uid, gid) == 0;
  ::close(log);
  if (!owned) {
    throw std::runtime_error("cannot chown " + log_file_.string());
  }
}

void EmbeddedPostgres::prepare_socket_dir(uid_t uid, gid_t gid) const {
  // The folder may sit in /tmp, where anyone can create names: it is created without following
  // a link, and one that exists must be a real folder of ours (or of the cluster user).
  const auto parent = socket_dir_.parent_path();
  fs::create_directories(parent);
  const int parent_fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot open " + parent.string());
  }
  const auto name = socket_dir_.filename().string();
  if (::mkdirat(parent_fd, name.c_str(), 0700) != 0 && errno != EEXIST) {
    const int error = errno;
    ::close(parent_fd);
    throw std::system_error(error, std::generic_category(),
                            "cannot create " + socket_dir_.string());
  }
  const int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  const int open_error = errno;
  ::close(parent_fd);
  if (fd < 0) {
    throw std::runtime_error("embedded PostgreSQL socket folder " + socket_dir_.string() +
                             " is a symbolic link or not a folder (" + std::strerror(open_error) +
                             "); refused");
  }
  struct stat info {};
  const bool ours = ::fstat(fd, &info) == 0 && (info.st_uid == geteuid() || info.st_uid == uid);
  const bool fixed =
      ours && (!util::running_as_root() || ::fchown(fd, uid, gid) == 0) && ::fchmod(fd, 0700) == 0;
  ::close(fd);
  if (!ours) {
    throw std::runtime_error("embedded PostgreSQL socket folder " + socket_dir_.string() +
                             " belongs to uid " + std::to_string(info.st_uid) +
                             ", not to this service; refused");
  }
  if (!fixed) {
    throw std::runtime_error("cannot set owner and mode 0700 on " + socket_dir_.string());
  }
}

std::string EmbeddedPostgres::ensure_password() {
  if (fs::exists(fs::symlink_status(password_file_))) {
    auto content = read_private_file(password_file_);
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
      content.pop_back();
    }
    const auto colon = content.rfind(':');
    if (colon != std::string::npos && colon + 1 < content.size()) {
      return content.substr(colon + 1);
    }
    throw std::runtime_error(password_file_.string() +
                             " holds no password; remove it to "
                             "generate a new one");
  }
  const auto password = random_hex(24);
  // libpq's password file format; the service reads it (passfile=), nobody else may.
  write_private_file(password_file_, "*:*:*:*:" + password + "\n", geteuid(), getegid());
  password_generated_ = true;
  return password;
}

void EmbeddedPostgres::init_cluster(const std::string& password, uid_t uid, gid_t gid) {
  if (fs::exists(data_dir_ / "PG_VERSION")) {
    return;
  }
  spdlog::info("embedded PostgreSQL: creating a new cluster in {}", data_dir_.string());
  // initdb reads the superuser's password from a file: one only the cluster user can read,
  // removed at once (a password on a command line is visible to every local user).
  const auto password_input = options_.root / (".initdb-password-" + random_hex(8));
  write_private_file(password_input, password + "\n", uid, gid);
  std::vector<std::string> argv{(bin_dir_ / "initdb").string(),
                                "-A",
                                "scram-sha-256",
                                "--pwfile=" + password_input.string(),
                                "-E",
                                "UTF8",
                                "--locale=C.UTF-8",
                                "-D",
                                data_dir_.string()};
  if (!options_.fsync) {
    argv.push_back("--no-sync");
  }
  const auto result = util::run_process(as_cluster_user(argv));
  ::unlink(password_input.c_str());
  if (result.exit_code != 0) {
    throw std::runtime_error("initdb failed for " + data_dir_.string() + ": " + result.output);
  }
  password_generated_ = false;
}

void EmbeddedPostgres::require_passwords(const std::string& password) {
  const auto hba = data_dir_ / "pg_hba.conf";
  if (!allows_trust(hba) && !password_generated_) {
    return;
  }
  // A cluster from before passwords (trust), or one whose password file was lost: set the
  // password in single-user mode (no server, no network) and require it from now on.
  spdlog::warn(
      "embedded PostgreSQL in {}: setting a new password (data_dir/pgpass) and "
      "requiring it for every login",
      data_dir_.string());
  const auto result = util::run_process_with_input(
      as_cluster_user(
          {(bin_dir_ / "postgres").string(), "--single", "-D", data_dir_.string(), "postgres"}),
      "ALTER ROLE \"" + role_name() + "\" PASSWORD '" + password + "';\n");
  if (result.exit_code != 0 || result.output.find("ERROR") != std::string::npos) {
    throw std::runtime_error("cannot set the embedded PostgreSQL password: " + result.output);
  }
  const auto replacement = data_dir_ / (".pg_hba.conf.new-" + random_hex(8));
  struct stat info {};
  ::lstat(data_dir_.c_str(), &info);
  write_private_file(replacement, kHbaConf, info.st_uid, info.st_gid);
  if (::rename(replacement.c_str(), hba.c_str()) != 0) {
    ::unlink(replacement.c_str());
    throw std::system_error(errno, std::generic_category(), "cannot replace " + hba.string());
  }
  password_generated_ = false;
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
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (const struct passwd* user =
          util::running_as_root() ? lookup_user(options_.system_user) : nullptr) {
    uid = user->pw_uid;
    gid = user->pw_gid;
  }
  const auto password = ensure_password();
  init_cluster(password, uid, gid);
  if (server_running()) {
    reused_ = true;
    if (allows_trust(data_dir_ / "pg_hba.conf")) {
      spdlog::warn(
          "embedded PostgreSQL in {} runs without passwords (trust); stop it once so "
          "that the next start requires them",
          data_dir_.string());
    }
    spdlog::info("embedded PostgreSQL already running in {}; reusing it", data_dir_.string());
    return;
  }
  require_passwords(password);
  const int port = options_.tcp_port > 0 ? options_.tcp_port : kEmbeddedSocketPort;
  std::string server_options =
      "-p " + std::to_string(port) + " -k " + socket_dir_.string() + " -c listen_addresses=" +
      (options_.tcp_port > 0 ? std::string("127.0.0.1") : std::string("''")) +
      " -c max_prepared_transactions=" + std::to_string(options_.max_prepared_transactions);
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
  if (const int others = other_clients(); others > 0) {
    started_ = false;
    left_running_ = true;
    spdlog::info("embedded PostgreSQL left running: {} other client(s) still use it", others);
    return;
  }
  stop_server();
}

void EmbeddedPostgres::stop_for_test() {
  if (started_) {
    stop_server();
  }
}

int EmbeddedPostgres::other_clients() const {
  PGconn* connection = PQconnectdb((conninfo("postgres") + " connect_timeout=5").c_str());
  int count = 0;
  if (PQstatus(connection) == CONNECTION_OK) {
    PGresult* result = PQexec(connection,
                              "SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                              "'client backend' AND pid <> pg_backend_pid()");
    if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
      count = std::atoi(PQgetvalue(result, 0, 0));
    }
    PQclear(result);
  }
  PQfinish(connection);
  return count;
}

void EmbeddedPostgres::stop_server() {
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
         " passfile=" + password_file_.string() + " dbname=" + database;
}

std::string EmbeddedPostgres::psql_command(const std::string& database) const {
  const int port = options_.tcp_port > 0 ? options_.tcp_port : kEmbeddedSocketPort;
  return "PGPASSFILE=" + password_file_.string() + " psql -h " + socket_dir_.string() + " -p " +
         std::to_string(port) + " -U " + role_name() + " " + database;
}

}  // namespace dp::db
