#pragma once

#include <optional>
#include <string_view>

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Support desk analysts: yearly snapshots `analysts_YYYY.csv` (snapshot_year = YYYY) and the
/// incremental change file `analysts.csv` (snapshot_year NULL; its change time is updated_at).
/// Headerless and fully quoted; skills is a quoted comma list kept as one text (`E,F,C`).
void register_analyst_snapshots_pipeline(pipeline::PipelineRegistry& registry);

/// The snapshot year a file name announces: the four digits after `analysts_` (or `analysts-`)
/// when no further digit follows; nullopt for the change file and any other name.
std::optional<int> snapshot_year_from_name(std::string_view file_name);

}  // namespace dp::pipelines
