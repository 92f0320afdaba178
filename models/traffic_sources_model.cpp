#include "models/traffic_sources_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& traffic_sources_model() {
  static const table::TableModel model{
      .table = "traffic_sources",
      .columns =
          {
              column("source_id", ColumnType::kInt32, Presence::kRequired, "source_id"),
              column("name", ColumnType::kText, Presence::kRequired, "name"),
              column("channel", ColumnType::kText, Presence::kOptional, "channel"),
          },
  };
  return model;
}

}  // namespace dp::models
