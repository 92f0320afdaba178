#include "models/case_logs_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& case_logs_model() {
  // Headerless files: the sources name the fields in their positional order.
  static const table::TableModel model{
      .table = "case_logs",
      .columns =
          {
              column("logged_at", ColumnType::kTimestamp, Presence::kRequired, "logged_at"),
              column("cid", ColumnType::kText, Presence::kRequired, "cid"),
              column("event", ColumnType::kText, Presence::kRequired, "event"),
          },
  };
  return model;
}

}  // namespace dp::models
