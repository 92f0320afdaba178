#pragma once

#include <string>
#include <vector>

namespace dp::table {

/// The staging column types the converters and the COPY encoder understand.
enum class ColumnType {
  kText,
  kInt32,
  kInt64,
  kNumeric,
  kBoolean,
  kDate,
  kTimestamp,
  kTimestampTz,
  kTextArray,
};

/// One staging column, declared once: DDL, COPY encoding and row checks derive from it.
struct ColumnModel {
  /// Column name in the staging table (snake_case).
  std::string name;
  ColumnType type = ColumnType::kText;
  /// Whether an empty source value may become NULL; otherwise empty is a reject.
  bool nullable = true;
  /// Header name the value comes from (matched case-insensitively, trimmed); empty for
  /// columns a pipeline derives itself (e.g. from the file name).
  std::string source;
  /// numeric(precision, scale) when precision > 0; unconstrained numeric otherwise.
  int numeric_precision = 0;
  int numeric_scale = 0;
};

/// A kind's staging table: its name (inside the staging schema) and its columns. Every staging
/// table also gets the lineage columns `file_id bigint` and `line_no bigint` first.
struct TableModel {
  std::string table;
  std::vector<ColumnModel> columns;
};

/// Names of the lineage columns every staging table carries before the model's own columns.
inline constexpr const char* kFileIdColumn = "file_id";
inline constexpr const char* kLineNoColumn = "line_no";

}  // namespace dp::table
