#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace dp::db {

/// Where and how the private PostgreSQL cluster runs.
struct EmbeddedPostgresOptions {
  /// Folder that holds the cluster: `pgdata/` (data), `pgrun/` (unix socket), `postgres.log`,
  /// `pgpass` (the generated password, 0600).
  std::filesystem::path root;
  /// TCP port on 127.0.0.1; 0 keeps the cluster on its unix socket only.
  int tcp_port = 0;
  /// System user that owns and runs the cluster when we are root (initdb refuses root).
  std::string system_user = "dataprocessor";
  /// fsync=off is only for throwaway test clusters; a user's data must survive a crash.
  bool fsync = true;
  /// Parallel COPY of a big file prepares one transaction per extra stream (two-phase commit):
  /// 64 covers 16 workers of 4 streams with room for the resolver; tests set 0 to see the
  /// one-stream fallback of a server without prepared transactions.
  int max_prepared_transactions = 64;
};

/// A PostgreSQL cluster the service starts itself from the installed binaries when no
/// `db_string` is configured, so a newcomer needs no database set-up; the tests use the same
/// class for their throwaway cluster. Every login, on the socket and on TCP, needs the
/// scram-sha-256 password generated at initdb and kept in `pgpass` (0600), which conninfo()
/// names: a superuser that any local user could reach would run `COPY ... TO PROGRAM` for them.
class EmbeddedPostgres {
 public:
  explicit EmbeddedPostgres(EmbeddedPostgresOptions options);
  /// stop(); never throws.
  ~EmbeddedPostgres();
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  /// Runs initdb on first use, then starts the server unless one already runs on this folder
  /// (a second service instance reuses it and leaves it running). Throws std::runtime_error
  /// with the tool's output on failure.
  void start();
  /// Stops the server (fast shutdown) if this object started it and no other client is
  /// connected; a watcher that attached to a cluster an `--ingest` started keeps it running.
  void stop();
  /// A libpq key=value connection string for `database` on this cluster; it names the password
  /// file (passfile=), never the password.
  std::string conninfo(const std::string& database = "postgres") const;
  /// A psql command line a person can paste to connect.
  std::string psql_command(const std::string& database = "postgres") const;
  /// Whether start() found the cluster already running (then stop() leaves it alone).
  bool reused_running_server() const { return reused_; }
  /// Whether the last stop() left the server running because other clients were connected.
  bool left_running_for_others() const { return left_running_; }
  /// The password file (libpq pgpass format) the connection strings name.
  const std::filesystem::path& password_file() const { return password_file_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& socket_dir() const { return socket_dir_; }

  /// Stops the server this object started even while clients are connected (a test that
  /// takes the database away from a running service).
  void stop_for_test();
  /// Leaves the server running when this object is destroyed (the ctest fixture's start step).
  void release_for_test() { started_ = false; }
  /// Takes ownership of a server found running, so stop() stops it (the ctest cleanup step).
  void adopt_for_test() { started_ = started_ || reused_; }

  /// The folder with initdb/pg_ctl: PATH first, then the highest /usr/lib/postgresql/*/bin.
  static std::filesystem::path find_bin_dir();

 private:
  std::vector<std::string> as_cluster_user(std::vector<std::string> argv) const;
  void prepare_folders();
  void prepare_socket_dir(uid_t uid, gid_t gid) const;
  std::string ensure_password();
  void init_cluster(const std::string& password, uid_t uid, gid_t gid);
  void require_passwords(const std::string& password);
  int other_clients() const;
  void stop_server();
  bool server_running() const;
  std::string role_name() const;

  EmbeddedPostgresOptions options_;
  std::filesystem::path bin_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path socket_dir_;
  std::filesystem::path log_file_;
  std::filesystem::path password_file_;
  bool started_ = false;
  bool reused_ = false;
  bool left_running_ = false;
  /// ensure_password() made a new password that the cluster does not know yet.
  bool password_generated_ = false;
};

/// The port number that names the unix socket file (`.s.PGSQL.<port>`) when no TCP port is set.
inline constexpr int kEmbeddedSocketPort = 5432;

}  // namespace dp::db
