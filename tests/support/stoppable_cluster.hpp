#pragma once

#include "core/db/embedded_postgres.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::test {

/// A private PostgreSQL cluster (unix socket only, no fsync) that a test may stop and start
/// again: the shared test cluster is never stopped, other test processes use it in parallel.
class StoppableCluster {
 public:
  StoppableCluster() : cluster_(options_for(dir_)) { cluster_.start(); }

  /// The server itself, to stop() and start() around what the test observes.
  db::EmbeddedPostgres& server() { return cluster_; }
  /// A connection string for the cluster's `postgres` database.
  std::string conninfo() const { return cluster_.conninfo("postgres"); }

 private:
  static db::EmbeddedPostgresOptions options_for(const TempDir& dir) {
    db::EmbeddedPostgresOptions options;
    options.root = dir.path();
    options.tcp_port = 0;
    options.fsync = false;
    options.system_user = "dp_pgtest";
    return options;
  }

  TempDir dir_;
  db::EmbeddedPostgres cluster_;
};

}  // namespace dp::test
