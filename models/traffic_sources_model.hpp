#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// The traffic sources that user_traffic.source_id and marketing source_name refer to.
const table::TableModel& traffic_sources_model();

}  // namespace dp::models
