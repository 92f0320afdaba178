#include "core/ingest/staging_tables.hpp"

#include "core/table/ddl.hpp"

namespace dp::ingest {

void ensure_staging_tables(db::LibpqConnection& connection,
                           const pipeline::PipelineRegistry& registry,
                           const std::string& staging_schema) {
  db::LibpqTransaction transaction(connection);
  // Two starters may create the same table at once; the lock makes the second wait.
  connection.exec("SELECT pg_advisory_xact_lock(4477265)");
  for (const auto& pipeline : registry.all()) {
    connection.exec(table::create_table_sql(staging_schema, pipeline->staging_model()));
  }
  transaction.commit();
}

}  // namespace dp::ingest
