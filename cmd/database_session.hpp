#pragma once

#include <memory>
#include <string>

#include <pqxx/connection>

#include "core/config/settings.hpp"
#include "core/db/embedded_postgres.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/pipeline/pipeline_registry.hpp"

namespace dp::cmd {

/// The database a mode works on: the configured `db_string`, or the embedded cluster this
/// process starts (and stops on exit) when none is configured. Applying migrations and creating
/// the staging tables happen here, once, before any mode's work.
class DatabaseSession {
 public:
  /// Resolves the database, starting the embedded cluster if needed, and waits for it with
  /// backoff. Throws db::FatalConnectError when it cannot be reached.
  explicit DatabaseSession(const config::Settings& settings);
  ~DatabaseSession();
  DatabaseSession(const DatabaseSession&) = delete;
  DatabaseSession& operator=(const DatabaseSession&) = delete;

  /// Applies pending migrations (dev=true recreates the schemas first).
  void migrate();
  /// Creates every registered kind's staging table unless it exists.
  void ensure_staging(const pipeline::PipelineRegistry& registry);
  /// The same on a connection the caller goes on using (one connection fewer per process).
  void ensure_staging(const pipeline::PipelineRegistry& registry, db::LibpqConnection& connection);
  /// Ends the prepared parts that parallel loads of a killed process left, as the ledger says
  /// (commit when the file is loaded, roll back otherwise); ensure_staging(registry) does it too.
  void resolve_prepared_parts(db::LibpqConnection& connection);
  /// The libpq connection string (secret) and its masked form (for logs).
  const std::string& conninfo() const { return conninfo_; }
  const std::string& display_name() const { return display_; }
  /// A libpqxx connection for control work (migrations, status, warehouse).
  pqxx::connection& connection() { return *connection_; }

 private:
  const config::Settings& settings_;
  std::unique_ptr<db::EmbeddedPostgres> embedded_;
  std::string conninfo_;
  std::string display_;
  std::unique_ptr<pqxx::connection> connection_;
};

/// The database name the embedded cluster serves the service from.
inline constexpr const char* kEmbeddedDatabase = "dataprocessor";

}  // namespace dp::cmd
