#pragma once

#include <string>

#include "core/table/table_model.hpp"

namespace dp::models {

/// Whether an empty value is allowed (NULL) or rejects the row; spelled out at each column.
enum class Presence { kRequired, kOptional };

/// A column filled from the source field `source` (a header name, or for headerless kinds the
/// name of the field at that position), so that every model reads as one line per column.
inline table::ColumnModel column(std::string name, table::ColumnType type, Presence presence,
                                 std::string source) {
  table::ColumnModel model;
  model.name = std::move(name);
  model.type = type;
  model.nullable = presence == Presence::kOptional;
  model.source = std::move(source);
  return model;
}

/// A numeric(precision, scale) column filled from `source`.
inline table::ColumnModel numeric_column(std::string name, Presence presence, std::string source,
                                         int precision, int scale) {
  table::ColumnModel model =
      column(std::move(name), table::ColumnType::kNumeric, presence, std::move(source));
  model.numeric_precision = precision;
  model.numeric_scale = scale;
  return model;
}

/// A column the pipeline computes itself (from another field or the file name).
inline table::ColumnModel derived_column(std::string name, table::ColumnType type,
                                         Presence presence) {
  return column(std::move(name), type, presence, "");
}

}  // namespace dp::models
