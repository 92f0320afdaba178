#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dp::db {

/// Where and how the private PostgreSQL cluster runs.
struct EmbeddedPostgresOptions {
  /// Folder that holds the cluster: `pgdata/` (data), `pgrun/` (unix socket), `postgres.log`.
  std::filesystem::path root;
  /// TCP port on 127.0.0.1; 0 keeps the cluster on its unix socket only.
  int tcp_port = 0;
  /// System user that owns and runs the cluster when we are root (initdb refuses root).
  std::string system_user = "dataprocessor";
  /// fsync=off is only for throwaway test clusters; a user's data must survive a crash.
  bool fsync = true;
};

/// A PostgreSQL cluster the service starts itself from the installed binaries when no
/// `db_string` is configured, so a newcomer needs no database set-up; the tests use the same
/// class for their throwaway cluster.
class EmbeddedPostgres {
 public:
  explicit EmbeddedPostgres(EmbeddedPostgresOptions options);
  /// Stops the cluster if this object started it; never throws.
  ~EmbeddedPostgres();
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  /// Runs initdb on first use, then starts the server unless one already runs on this folder
  /// (a second service instance reuses it and leaves it running). Throws std::runtime_error
  /// with the tool's output on failure.
  void start();
  /// Stops the server (fast shutdown) if this object started it.
  void stop();
  /// A libpq key=value connection string for `database` on this cluster.
  std::string conninfo(const std::string& database = "postgres") const;
  /// A psql command line a person can paste to connect.
  std::string psql_command(const std::string& database = "postgres") const;
  /// Whether start() found the cluster already running (then stop() leaves it alone).
  bool reused_running_server() const { return reused_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& socket_dir() const { return socket_dir_; }

  /// Leaves the server running when this object is destroyed (the ctest fixture's start step).
  void release_for_test() { started_ = false; }
  /// Takes ownership of a server found running, so stop() stops it (the ctest cleanup step).
  void adopt_for_test() { started_ = started_ || reused_; }

  /// The folder with initdb/pg_ctl: PATH first, then the highest /usr/lib/postgresql/*/bin.
  static std::filesystem::path find_bin_dir();

 private:
  std::vector<std::string> as_cluster_user(std::vector<std::string> argv) const;
  void prepare_folders();
  void init_cluster();
  bool server_running() const;
  std::string role_name() const;

  EmbeddedPostgresOptions options_;
  std::filesystem::path bin_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path socket_dir_;
  std::filesystem::path log_file_;
  bool started_ = false;
  bool reused_ = false;
};

/// The port number that names the unix socket file (`.s.PGSQL.<port>`) when no TCP port is set.
inline constexpr int kEmbeddedSocketPort = 5432;

}  // namespace dp::db
