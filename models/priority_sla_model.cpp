#include "models/priority_sla_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& priority_sla_model() {
  static const table::TableModel model{
      .table = "priority_sla",
      .columns =
          {
              column("id", ColumnType::kInt32, Presence::kRequired, "id"),
              column("name", ColumnType::kText, Presence::kOptional, "name"),
              column("assign_sla_hours", ColumnType::kNumeric, Presence::kOptional, "Assign SLA"),
              column("response_sla_hours", ColumnType::kNumeric, Presence::kOptional,
                     "Response SLA"),
              column("resolve_sla_hours", ColumnType::kNumeric, Presence::kOptional, "Resolve SLA"),
          },
  };
  return model;
}

}  // namespace dp::models
