#include "models/products_model.hpp"

#include "models/column_builders.hpp"

namespace dp::models {

using table::ColumnType;

const table::TableModel& products_model() {
  // Headerless files: the sources name the fields in their positional order.
  static const table::TableModel model{
      .table = "products",
      .columns =
          {
              column("pid", ColumnType::kText, Presence::kRequired, "pid"),
              column("name", ColumnType::kText, Presence::kOptional, "name"),
              column("parent_pid", ColumnType::kText, Presence::kOptional, "parent_pid"),
          },
  };
  return model;
}

}  // namespace dp::models
