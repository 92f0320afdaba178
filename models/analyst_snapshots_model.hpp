#pragma once

#include "core/table/table_model.hpp"

namespace dp::models {

/// Support-desk analysts, one yearly snapshot (or one incremental change) per row; snapshot_year is
/// derived by the pipeline from the file name.
const table::TableModel& analyst_snapshots_model();

}  // namespace dp::models
