#include "core/csv/row_error.hpp"

#include <doctest/doctest.h>

#include <string>

namespace dp::csv {
namespace {

TEST_CASE("row error kinds have stable snake_case names") {
  CHECK(std::string(to_string(RowErrorKind::kTooFewColumns)) == "too_few_columns");
  CHECK(std::string(to_string(RowErrorKind::kTooManyColumns)) == "too_many_columns");
  CHECK(std::string(to_string(RowErrorKind::kBadValue)) == "bad_value");
  CHECK(std::string(to_string(RowErrorKind::kMissingValue)) == "missing_value");
  CHECK(std::string(to_string(RowErrorKind::kInvalidUtf8)) == "invalid_utf8");
  CHECK(std::string(to_string(RowErrorKind::kUnterminatedQuote)) == "unterminated_quote");
  CHECK(std::string(to_string(RowErrorKind::kLineTooLong)) == "line_too_long");
  CHECK(std::string(to_string(RowErrorKind::kCustom)) == "custom");
}

}  // namespace
}  // namespace dp::csv
