#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Job-title data: a title as written, its profile count and up to 19 related titles and skills
/// that sit in the header's unnamed trailing columns. Recognised by name (`*title_data*.csv`) and
/// by its header (`title,pdl count,top related titles`), since exports are often renamed.
void register_title_data_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
