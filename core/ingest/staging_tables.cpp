#include "core/ingest/staging_tables.hpp"

#include <set>

#include "core/table/ddl.hpp"

namespace dp::ingest {

namespace {

/// Names of the relations (tables and indexes) that exist in `schema`.
std::set<std::string> existing_relations(db::LibpqConnection& connection,
                                         const std::string& schema) {
  const auto result = connection.exec_params(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1",
      {schema});
  std::set<std::string> names;
  for (int row = 0; row < result.rows(); ++row) {
    names.insert(result.value(row, 0).value_or(""));
  }
  return names;
}

bool complete(const std::set<std::string>& existing, const pipeline::PipelineRegistry& registry) {
  for (const auto& pipeline : registry.all()) {
    const auto& model = pipeline->staging_model();
    if (!existing.contains(model.table) || !existing.contains(table::file_index_name(model))) {
      return false;
    }
  }
  return true;
}

}  // namespace

void ensure_staging_tables(db::LibpqConnection& connection,
                           const pipeline::PipelineRegistry& registry,
                           const std::string& staging_schema) {
  // The usual start: every table and index exists, and one catalog query says so. DDL (even
  // CREATE INDEX IF NOT EXISTS) would take a SHARE lock and wait for loads running elsewhere.
  if (complete(existing_relations(connection, staging_schema), registry)) {
    return;
  }
  db::LibpqTransaction transaction(connection);
  // Two starters may create the same table at once; the lock makes the second wait.
  connection.exec("SELECT pg_advisory_xact_lock(4477265)");
  const auto existing = existing_relations(connection, staging_schema);
  for (const auto& pipeline : registry.all()) {
    const auto& model = pipeline->staging_model();
    if (!existing.contains(model.table)) {
      connection.exec(table::create_table_sql(staging_schema, model));
    }
    if (!existing.contains(table::file_index_name(model))) {
      connection.exec(table::create_file_index_sql(staging_schema, model));
    }
  }
  transaction.commit();
}

}  // namespace dp::ingest
