#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Support desk: the ready-made calendar (headerless); its -1 row (1900-01-01) is the unknown-date
/// member and loads like any other.
void register_calendar_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
