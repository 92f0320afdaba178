#pragma once

#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/pipeline/pipeline_registry.hpp"

namespace dp::ingest {

/// Creates every registered kind's staging table (DDL derived from its model) unless it
/// exists; run once at start-up so that concurrent loads never race to create a table.
void ensure_staging_tables(db::LibpqConnection& connection,
                           const pipeline::PipelineRegistry& registry,
                           const std::string& staging_schema);

}  // namespace dp::ingest
