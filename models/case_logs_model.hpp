#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Support-desk case events; the pipeline accepts only the three known events.
const table::TableModel& case_logs_model();

}  // namespace dp::models
