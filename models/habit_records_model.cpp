#include "models/habit_records_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& habit_records_model() {
  // Columns follow the staging table's order, not the file's (`duration` comes before chat_id
  // there); fields are found by header name.
  static const table::TableModel model{
      .table = "habit_records",
      .columns =
          {
              column("habit_name", ColumnType::kText, Presence::kRequired, "habit_name"),
              column("category_name", ColumnType::kText, Presence::kOptional, "category_name"),
              column("user_id", ColumnType::kInt64, Presence::kRequired, "user_id"),
              column("chat_id", ColumnType::kInt64, Presence::kOptional, "chat_id"),
              column("duration_minutes", ColumnType::kNumeric, Presence::kOptional, "duration"),
              column("username", ColumnType::kText, Presence::kOptional, "username"),
              column("first_name", ColumnType::kText, Presence::kOptional, "first_name"),
              column("last_name", ColumnType::kText, Presence::kOptional, "last_name"),
              column("is_premium", ColumnType::kBoolean, Presence::kOptional, "is_premium"),
              column("language_code", ColumnType::kText, Presence::kOptional, "language_code"),
              column("record_date_unix", ColumnType::kInt64, Presence::kRequired,
                     "record_date_unix"),
              derived_column("recorded_at", ColumnType::kTimestampTz, Presence::kRequired),
          },
  };
  return model;
}

}  // namespace dp::models
