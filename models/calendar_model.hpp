#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// The support desk's ready-made calendar, including the -1 row (1900-01-01) that stands for
/// unknown dates.
const table::TableModel& calendar_model();

}  // namespace dp::models
