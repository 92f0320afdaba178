#include "models/calendar_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& calendar_model() {
  // Headerless files: the sources name the fields in their positional order.
  static const table::TableModel model{
      .table = "calendar",
      .columns =
          {
              column("date_key", ColumnType::kInt32, Presence::kRequired, "date_key"),
              column("date", ColumnType::kDate, Presence::kOptional, "date"),
              column("day_of_month", ColumnType::kInt32, Presence::kOptional, "day_of_month"),
              column("day_of_month_text", ColumnType::kText, Presence::kOptional,
                     "day_of_month_text"),
              column("month", ColumnType::kInt32, Presence::kOptional, "month"),
              column("month_text", ColumnType::kText, Presence::kOptional, "month_text"),
              column("month_name", ColumnType::kText, Presence::kOptional, "month_name"),
              column("month_short", ColumnType::kText, Presence::kOptional, "month_short"),
              column("quarter_name", ColumnType::kText, Presence::kOptional, "quarter_name"),
              column("year", ColumnType::kInt32, Presence::kOptional, "year"),
              column("iso_weekday", ColumnType::kInt32, Presence::kOptional, "iso_weekday"),
              column("day_name", ColumnType::kText, Presence::kOptional, "day_name"),
              column("day_short", ColumnType::kText, Presence::kOptional, "day_short"),
              column("week_of_year", ColumnType::kInt32, Presence::kOptional, "week_of_year"),
          },
  };
  return model;
}

}  // namespace dp::models
