#pragma once

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// Habit tracker dumps: `duration` becomes duration_minutes, recorded_at is derived from the
/// epoch seconds in record_date_unix (which is kept too), an empty is_premium is NULL.
/// Recognised by name (`habit*.csv`) and by its header.
void register_habit_records_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
