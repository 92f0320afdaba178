#include "models/cases_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& cases_model() {
  // Headerless files: the sources name the fields in their positional order.
  static const table::TableModel model{
      .table = "cases",
      .columns =
          {
              column("cid", ColumnType::kText, Presence::kRequired, "cid"),
              column("priority", ColumnType::kInt32, Presence::kOptional, "priority"),
              column("created_at", ColumnType::kTimestamp, Presence::kOptional, "created_at"),
              column("aid", ColumnType::kText, Presence::kOptional, "aid"),
              column("pid", ColumnType::kText, Presence::kOptional, "pid"),
          },
  };
  return model;
}

}  // namespace dp::models
