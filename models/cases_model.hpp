#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Support-desk cases, referring to analysts (aid) and products (pid).
const table::TableModel& cases_model();

}  // namespace dp::models
