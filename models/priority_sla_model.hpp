#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Support-desk service levels per case priority, in hours.
const table::TableModel& priority_sla_model();

}  // namespace dp::models
