#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Support-desk product hierarchy (line -> group -> product); lines have no parent.
const table::TableModel& products_model();

}  // namespace dp::models
