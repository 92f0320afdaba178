#include "models/marketing_daily_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& marketing_daily_model() {
  static const table::TableModel model{
      .table = "marketing_daily",
      .columns =
          {
              column("source_name", ColumnType::kText, Presence::kRequired, "source_name"),
              column("channel_type", ColumnType::kText, Presence::kOptional, "channel_type"),
              column("date", ColumnType::kDate, Presence::kRequired, "date"),
              numeric_column("ad_spend", Presence::kOptional, "ad_spend", 14, 2),
              column("impressions", ColumnType::kInt64, Presence::kOptional, "impressions"),
              column("clicks", ColumnType::kInt64, Presence::kOptional, "clicks"),
              column("leads", ColumnType::kInt64, Presence::kOptional, "leads"),
              numeric_column("revenue", Presence::kOptional, "revenue", 14, 2),
          },
  };
  return model;
}

}  // namespace dp::models
