#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Habit tracker records; recorded_at is derived by the pipeline from record_date_unix.
const table::TableModel& habit_records_model();

}  // namespace dp::models
