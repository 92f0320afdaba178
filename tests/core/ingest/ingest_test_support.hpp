#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <pqxx/pqxx>

#include "core/db/libpq_connection.hpp"
#include "core/db/migrations.hpp"
#include "core/ingest/staging_tables.hpp"
#include "tests/core/ingest/test_kind.hpp"
#include "tests/support/test_database.hpp"

namespace dp::test {

/// A fresh database with the project's migrations and the test kind's staging table.
struct IngestDatabase {
  TestDatabase database;
  std::unique_ptr<pipeline::PipelineRegistry> registry = people_registry_for_test();

  IngestDatabase() {
    pqxx::connection connection(database.conninfo());
    db::MigrationOptions options;
    options.dir = std::filesystem::path(DP_SOURCE_DIR) / "sql" / "migrations";
    db::apply_migrations(connection, options);
    db::LibpqConnection libpq(database.conninfo());
    ingest::ensure_staging_tables(libpq, *registry, "staging");
  }
  std::string scalar(const std::string& sql) const { return database.scalar(sql); }
};

inline void write_text(const std::filesystem::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace dp::test
