#include "models/analyst_snapshots_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& analyst_snapshots_model() {
  // Headerless files: the sources name the fields in their positional order.
  static const table::TableModel model{
      .table = "analyst_snapshots",
      .columns =
          {
              column("aid", ColumnType::kText, Presence::kRequired, "aid"),
              column("name", ColumnType::kText, Presence::kOptional, "name"),
              column("team", ColumnType::kText, Presence::kOptional, "team"),
              column("skills", ColumnType::kText, Presence::kOptional, "skills"),
              column("created_at", ColumnType::kTimestamp, Presence::kOptional, "created_at"),
              column("updated_at", ColumnType::kTimestamp, Presence::kOptional, "updated_at"),
              derived_column("snapshot_year", ColumnType::kInt32, Presence::kOptional),
          },
  };
  return model;
}

}  // namespace dp::models
