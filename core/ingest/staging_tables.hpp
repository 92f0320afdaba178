#pragma once

#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/pipeline/pipeline_registry.hpp"

namespace dp::ingest {

/// Creates every registered kind's staging table and its BRIN index on file_id (DDL derived
/// from its model) unless they exist; run once per process at start-up so that concurrent loads
/// never race to create a table. When everything exists it is one catalog query and no DDL.
void ensure_staging_tables(db::LibpqConnection& connection,
                           const pipeline::PipelineRegistry& registry,
                           const std::string& staging_schema);

}  // namespace dp::ingest
