#pragma once

#include <string>

#include "core/config/config_error.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/pipeline/pipeline_registry.hpp"

namespace dp::ingest {

/// A staging table that no longer fits its kind's declaration in a way the service will not
/// change by itself (a column the kind no longer declares, a changed type). The message says
/// what to do; start-up stops with exit code 2, a SIGHUP re-read keeps the kinds in force.
struct StagingSchemaError : config::ConfigError {
  using config::ConfigError::ConfigError;
};

/// Takes the transaction-level lock under which staging DDL is done (the tables' changes here,
/// the part tables of big files), so that two starters or loads never race on it.
void lock_staging_ddl(db::LibpqConnection& connection);

/// Makes every registered kind's staging table match its model: creates a missing table and its
/// BRIN index on file_id, adds a column the model declares and the table lacks (nullable, and
/// recorded in ingest.staging_schema_changes), and refuses a removed column or a changed type
/// with StagingSchemaError. Run at start-up and on a kinds re-read, so that concurrent loads
/// never race to change a table. When everything fits it is one catalog query and no DDL.
void ensure_staging_tables(db::LibpqConnection& connection,
                           const pipeline::PipelineRegistry& registry,
                           const std::string& staging_schema);

}  // namespace dp::ingest
