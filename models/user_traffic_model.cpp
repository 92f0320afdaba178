#include "models/user_traffic_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& user_traffic_model() {
  static const table::TableModel model{
      .table = "user_traffic",
      .columns =
          {
              column("user_id", ColumnType::kInt64, Presence::kRequired, "user_id"),
              column("source_id", ColumnType::kInt32, Presence::kRequired, "source_id"),
              column("referred_at", ColumnType::kTimestampTz, Presence::kRequired, "referred_at"),
              column("campaign_code", ColumnType::kText, Presence::kOptional, "campaign_code"),
          },
  };
  return model;
}

}  // namespace dp::models
