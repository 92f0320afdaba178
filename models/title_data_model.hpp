#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Job-title data: a title as written, its profile count and its related titles/skills; the
/// pipeline fills `related` from the trailing unnamed columns.
const table::TableModel& title_data_model();

}  // namespace dp::models
