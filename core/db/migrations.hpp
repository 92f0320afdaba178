#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <pqxx/connection>

namespace dp::db {

/// Where the migrations are and which schema names they create.
struct MigrationOptions {
  /// Folder holding `V001__name.sql`, `V002__name.sql`, ...
  std::filesystem::path dir;
  std::string staging_schema = "staging";
  std::string dw_schema = "datawarehouse";
  /// dev=true: drop the service's schemas (and their data) before applying.
  bool recreate = false;
};

/// One migration file found on disk.
struct MigrationFile {
  int version = 0;
  std::string name;
  std::filesystem::path path;
  std::string checksum;
};

/// What a migration run did, for the log and the tests.
struct MigrationResult {
  std::vector<std::string> applied;
  std::size_t already_applied = 0;
};

/// A migration problem that must stop start-up (changed file, bad name, failed statement).
struct MigrationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The migration files in version order; throws MigrationError on a malformed name or a
/// version used twice.
std::vector<MigrationFile> list_migrations(const std::filesystem::path& dir);

/// Applies pending migrations in order, each in its own transaction, recorded with its
/// checksum in ingest.schema_migrations; serialized across processes by an advisory lock.
/// An applied migration whose file changed is an error naming the file.
MigrationResult apply_migrations(pqxx::connection& connection, const MigrationOptions& options);

/// Whether every migration on disk is applied with a matching checksum (readiness checks).
bool migrations_current(pqxx::connection& connection, const MigrationOptions& options);

/// The schemas the service owns, in the order they are dropped by dev=true.
std::vector<std::string> service_schemas(const MigrationOptions& options);

/// The search_path every migration and warehouse step runs with: warehouse first, so that
/// unqualified CREATE lands there, then staging, the ledger, public.
std::string service_search_path(pqxx::connection& connection, const MigrationOptions& options);

}  // namespace dp::db
