#pragma once

#include <cstddef>
#include <string_view>

#include "core/table/table_model.hpp"

namespace dp::infer {

/// The narrowest staging type every value of a column fits, and whether it may be empty.
struct InferredType {
  table::ColumnType type = table::ColumnType::kText;
  /// numeric(precision, scale) for kNumeric; 0 = unconstrained numeric.
  int precision = 0;
  int scale = 0;
  /// No sampled value was empty: the column can be NOT NULL.
  bool required = false;
};

/// Collects the values of one column and tells which rung of the type ladder they all fit:
/// boolean, integer, bigint, numeric, date, timestamp, timestamptz, text — DuckDB's order, with
/// its sniffer's rules that a value with a leading zero (`007`) stays text and that a column of
/// only 0 and 1 is a number, not a boolean. A value fits a type only when the loader's own parser
/// for that type (core/table/value_parsers.hpp) accepts it. Empty values (or only spaces and
/// tabs) fit every type (they load as NULL) but make the column optional.
class TypeLadder {
 public:
  /// Adds one field value as the CSV reader produced it.
  void add(std::string_view value);
  /// The narrowest type all added values fit; text when no value was non-empty.
  InferredType result() const;
  /// Whether `value` fits `type` (empty fits every type); the header test uses it.
  static bool fits(const InferredType& type, std::string_view value);

 private:
  std::size_t values_ = 0;
  std::size_t empty_ = 0;
  bool boolean_ = true;
  bool only_zero_one_ = true;
  bool int32_ = true;
  bool int64_ = true;
  bool decimal_ = true;
  bool date_ = true;
  bool timestamp_ = true;
  bool any_zone_ = false;
  int integer_digits_ = 0;
  int scale_ = 0;
};

}  // namespace dp::infer
