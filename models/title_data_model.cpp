#include "models/title_data_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& title_data_model() {
  // `related` is filled by the pipeline from the column named `top related titles` and the
  // unnamed columns after it.
  static const table::TableModel model{
      .table = "title_data",
      .columns =
          {
              column("title", ColumnType::kText, Presence::kRequired, "title"),
              column("pdl_count", ColumnType::kInt64, Presence::kOptional, "pdl count"),
              column("related", ColumnType::kTextArray, Presence::kOptional, "top related titles"),
          },
  };
  return model;
}

}  // namespace dp::models
