#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Which user came from which traffic source when (course traffic); the key (user_id, source_id,
/// referred_at) may repeat with a corrected campaign_code, the later line wins downstream.
const table::TableModel& user_traffic_model();

}  // namespace dp::models
