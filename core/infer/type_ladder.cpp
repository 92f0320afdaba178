#include "core/infer/type_ladder.hpp"

#include <algorithm>
#include <string>

#include "core/table/parse_support.hpp"
#include "core/table/value_parsers.hpp"

namespace dp::infer {
namespace {

using table::ColumnType;
using table::detail::trim_blanks;

/// Largest precision PostgreSQL accepts in numeric(p, s); wider columns stay unconstrained.
constexpr int kMaxNumericPrecision = 1000;

/// `007`, `-01.5`: digits that a number would drop, so the column stays text (an identifier,
/// a postal code). A lone `0` or `0.5` is a number.
bool has_leading_zero(std::string_view text) {
  text = trim_blanks(text);
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    text.remove_prefix(1);
  }
  return text.size() >= 2 && text[0] == '0' && text[1] >= '0' && text[1] <= '9';
}

/// Whether a timestamp the loader accepts carries a zone: the same text with a `Z` appended is
/// then no longer a timestamp (the parser allows one zone), so the loader's parser decides.
bool has_zone(std::string_view text) {
  return !table::parse_timestamp(std::string(trim_blanks(text)) + "Z");
}

}  // namespace

void TypeLadder::add(std::string_view value) {
  ++values_;
  if (trim_blanks(value).empty()) {
    ++empty_;  // only spaces or tabs: the kind loader takes it for a missing value
    return;
  }
  if (boolean_) {
    boolean_ = static_cast<bool>(table::parse_bool(value));
    const auto word = trim_blanks(value);
    only_zero_one_ = only_zero_one_ && (word == "0" || word == "1");
  }
  const bool numeric_text = !has_leading_zero(value);
  int32_ = int32_ && numeric_text && table::parse_int32(value);
  int64_ = int64_ && numeric_text && table::parse_int64(value);
  if (decimal_) {
    const auto parsed = table::parse_decimal(value);
    decimal_ = numeric_text && parsed;
    if (decimal_) {
      const auto& number = *parsed.value;
      const int digits = static_cast<int>(number.digits.size());
      integer_digits_ = std::max(integer_digits_, std::max(0, digits - number.scale));
      scale_ = std::max(scale_, number.scale);
    }
  }
  date_ = date_ && table::parse_date(value);
  if (timestamp_) {
    timestamp_ = static_cast<bool>(table::parse_timestamp(value)) &&
                 static_cast<bool>(table::parse_local_timestamp(value));
    any_zone_ = any_zone_ || (timestamp_ && has_zone(value));
  }
}

InferredType TypeLadder::result() const {
  InferredType out;
  out.required = values_ > 0 && empty_ == 0;
  if (values_ == empty_) {
    return out;
  }
  if (boolean_ && !only_zero_one_) {
    out.type = ColumnType::kBoolean;
  } else if (int32_) {
    out.type = ColumnType::kInt32;
  } else if (int64_) {
    out.type = ColumnType::kInt64;
  } else if (decimal_) {
    out.type = ColumnType::kNumeric;
    const int precision = std::max(1, integer_digits_ + scale_);
    if (precision <= kMaxNumericPrecision) {
      out.precision = precision;
      out.scale = scale_;
    }
  } else if (date_) {
    out.type = ColumnType::kDate;
  } else if (timestamp_) {
    out.type = any_zone_ ? ColumnType::kTimestampTz : ColumnType::kTimestamp;
  }
  return out;
}

bool TypeLadder::fits(const InferredType& type, std::string_view value) {
  if (trim_blanks(value).empty()) {
    return true;
  }
  switch (type.type) {
    case ColumnType::kText:
    case ColumnType::kTextArray:
      return true;
    case ColumnType::kBoolean:
      return static_cast<bool>(table::parse_bool(value));
    case ColumnType::kInt32:
      return !has_leading_zero(value) && table::parse_int32(value);
    case ColumnType::kInt64:
      return !has_leading_zero(value) && table::parse_int64(value);
    case ColumnType::kNumeric: {
      auto parsed = table::parse_decimal(value);
      return !has_leading_zero(value) && parsed &&
             (type.precision == 0 ||
              table::fit_decimal(*parsed.value, type.precision, type.scale).empty());
    }
    case ColumnType::kDate:
      return static_cast<bool>(table::parse_date(value));
    case ColumnType::kTimestamp:
      return static_cast<bool>(table::parse_local_timestamp(value));
    case ColumnType::kTimestampTz:
      return static_cast<bool>(table::parse_timestamp(value));
  }
  return false;
}

}  // namespace dp::infer
