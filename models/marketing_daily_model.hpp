#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// One campaign day of a traffic source (course traffic); (source_name, date) repeats by design.
const table::TableModel& marketing_daily_model();

}  // namespace dp::models
