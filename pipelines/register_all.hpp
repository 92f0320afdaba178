#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Adds every file kind this build knows to `registry`: the one explicit list of kinds (no
/// static self-registration, which static archives silently drop).
void register_all_pipelines(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
