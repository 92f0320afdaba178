#include "core/csv/row_error.hpp"

namespace dp::csv {

// These names are stored in the rejects table and grouped by in reports: never rename one.
const char* to_string(RowErrorKind kind) {
  switch (kind) {
    case RowErrorKind::kTooFewColumns:
      return "too_few_columns";
    case RowErrorKind::kTooManyColumns:
      return "too_many_columns";
    case RowErrorKind::kBadValue:
      return "bad_value";
    case RowErrorKind::kMissingValue:
      return "missing_value";
    case RowErrorKind::kInvalidUtf8:
      return "invalid_utf8";
    case RowErrorKind::kUnterminatedQuote:
      return "unterminated_quote";
    case RowErrorKind::kLineTooLong:
      return "line_too_long";
    case RowErrorKind::kCustom:
      return "custom";
  }
  return "unknown";
}

}  // namespace dp::csv
