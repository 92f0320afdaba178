#pragma once

#include <array>
#include <string_view>

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipelines {

/// The events a case log may record; anything else is rejected, since the warehouse derives
/// assignment, response and resolution times from exactly these.
inline constexpr std::array<std::string_view, 3> kCaseLogEvents = {"Assigned to analyst",
                                                                   "Response", "Close"};

/// Support desk case logs (`logs*.csv`, headerless, fully quoted): logged_at keeps its
/// microseconds; event must be one of kCaseLogEvents.
void register_case_logs_pipeline(pipeline::PipelineRegistry& registry);

}  // namespace dp::pipelines
