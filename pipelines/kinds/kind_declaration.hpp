#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/pipeline/pipeline.hpp"
#include "core/table/table_model.hpp"

namespace dp::pipelines {

/// Where a staging column's value comes from (docs/file-kinds.md, "Columns").
enum class ValueOrigin {
  /// One field of the record, found by header name (`from`) or by `position`.
  kField,
  /// That field and every field after it, trimmed, empties dropped, as one text[] value.
  kRemainingFields,
  /// A capture group of a regular expression matched against the file name.
  kFileName,
};

/// What is done to the field's text before the column's type converter sees it.
enum class ValueConversion {
  /// The text as written, converted by the column's type.
  kAsWritten,
  /// Epoch seconds (integer or with a fraction) into a timestamptz.
  kEpochSeconds,
};

/// One column of a declared kind: the staging column and how its value is found and converted.
struct DeclaredColumn {
  /// The staging column (name, type, NOT NULL, numeric precision); `source` is the header name.
  table::ColumnModel model;
  ValueOrigin origin = ValueOrigin::kField;
  /// 1-based field position; 0 when the field is found by its header name (model.source).
  int position = 0;
  ValueConversion conversion = ValueConversion::kAsWritten;
  /// For kRemainingFields: at most this many values per row; 0 means no limit.
  std::size_t max_items = 0;
  /// For kFileName: the expression (matched case-insensitively against the name without .gz),
  /// compiled once when the kind is loaded, and the capture group that holds the value.
  std::shared_ptr<const std::regex> file_name_pattern;
  std::string file_name_pattern_text;
  int capture = 1;
  /// Strip spaces and tabs around the value before anything else looks at it.
  bool trim = false;
  /// Values (after trim) stored as NULL.
  std::vector<std::string> null_if;
  /// Text used when the value is empty (after trim and null_if did not apply).
  std::optional<std::string> default_value;
  /// When not empty, the only values (after trim) a row may carry in this column.
  std::vector<std::string> allowed;
  /// Line of the column's [[columns]] table in its TOML file, for messages.
  int line = 0;
};

/// A file kind as its TOML file declares it: the data that replaces a kind's C++ code.
struct KindDeclaration {
  /// Kind name for the ledger, metrics and --generate ([a-z][a-z0-9_]*).
  std::string name;
  /// One line saying what the files are, shown by --kinds.
  std::string description;
  /// Case-insensitive globs on the file name without `.gz`.
  std::vector<std::string> patterns;
  /// Leading header names that identify the kind when its file name does not.
  std::vector<std::string> header_signature;
  pipeline::CsvDialect dialect;
  std::vector<DeclaredColumn> columns;
  /// The staging table derived from the columns (the DDL, COPY and checks read it).
  table::TableModel model;
  /// Where the declaration was read: `built-in pipelines/<subject>/<kind>.toml` or a path.
  std::string source;
  /// Lines of the `name`, `table` and `patterns` keys, for messages about clashes between kinds.
  int name_line = 0;
  int table_line = 0;
  int patterns_line = 0;
};

}  // namespace dp::pipelines
