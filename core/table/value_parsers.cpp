// Number and boolean conversions declared in value_parsers.hpp; dates and timestamps live in
// datetime_parsers.cpp.
#include "core/table/value_parsers.hpp"

#include <cstdint>
#include <limits>

#include "core/csv/utf8.hpp"
#include "core/table/message_text.hpp"
#include "core/table/parse_support.hpp"

namespace dp::table {
namespace {

/// Longest integer part and fraction we accept for numeric values; far beyond any feed, and
/// small enough that the binary encoding's int16 fields can never overflow.
constexpr std::size_t kMaxDecimalIntegerDigits = 1000;
constexpr std::size_t kMaxDecimalScale = 1000;

enum class IntegerStatus { kOk, kInvalid, kOutOfRange };

/// Parses an optionally signed run of ASCII digits into [min, max] without allocating.
IntegerStatus parse_integer(std::string_view text, std::int64_t min, std::int64_t max,
                            std::int64_t& out) {
  text = detail::trim_blanks(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return IntegerStatus::kInvalid;
  }
  // The magnitude limit for this sign, computed in unsigned arithmetic so that the minimum of
  // int64 does not overflow.
  const std::uint64_t limit =
      negative ? static_cast<std::uint64_t>(-(min + 1)) + 1 : static_cast<std::uint64_t>(max);
  std::uint64_t magnitude = 0;
  bool overflow = false;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return IntegerStatus::kInvalid;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) {
      overflow = true;  // keep scanning: "99999999999x" is invalid, not out of range
    } else {
      magnitude = magnitude * 10 + digit;
    }
  }
  if (overflow) {
    return IntegerStatus::kOutOfRange;
  }
  out = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return IntegerStatus::kOk;
}

template <typename T>
Parsed<T> integer_result(std::string_view text, const char* type_name) {
  std::int64_t value = 0;
  const IntegerStatus status =
      parse_integer(text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), value);
  Parsed<T> result;
  if (status == IntegerStatus::kOk) {
    result.value = static_cast<T>(value);
  } else if (status == IntegerStatus::kOutOfRange) {
    result.error = quote_for_message(text) + " is out of range for " + type_name;
  } else {
    result.error = quote_for_message(text) + " is not a valid integer";
  }
  return result;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// Compares ASCII text case-insensitively with a lower-case literal, without allocating.
bool equals_lower(std::string_view text, std::string_view lower_literal) {
  if (text.size() != lower_literal.size()) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != lower_literal[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

Parsed<std::int64_t> parse_int64(std::string_view text) {
  return integer_result<std::int64_t>(text, "bigint");
}

Parsed<std::int32_t> parse_int32(std::string_view text) {
  return integer_result<std::int32_t>(text, "int");
}

Parsed<Decimal> parse_decimal(std::string_view text) {
  Parsed<Decimal> result;
  const std::string_view trimmed = detail::trim_blanks(text);
  std::string_view rest = trimmed;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  std::size_t point = rest.find('.');
  const std::string_view integer_part = rest.substr(0, point);
  const std::string_view fraction_part =
      point == std::string_view::npos ? std::string_view{} : rest.substr(point + 1);
  bool valid = !integer_part.empty() || !fraction_part.empty();
  for (const char c : integer_part) {
    valid = valid && is_digit(c);
  }
  for (const char c : fraction_part) {
    valid = valid && is_digit(c);
  }
  if (!valid) {
    result.error = quote_for_message(text) + " is not a valid number";
    return result;
  }
  Decimal decimal;
  decimal.scale = static_cast<int>(fraction_part.size());
  decimal.digits.reserve(integer_part.size() + fraction_part.size());
  for (const std::string_view part : {integer_part, fraction_part}) {
    for (const char c : part) {
      if (decimal.digits.empty() && c == '0') {
        continue;  // leading zeros are not significant; the scale still counts them
      }
      decimal.digits += c;
    }
  }
  const std::size_t integer_digits = decimal.digits.size() > fraction_part.size()
                                         ? decimal.digits.size() - fraction_part.size()
                                         : 0;
  if (integer_digits > kMaxDecimalIntegerDigits || fraction_part.size() > kMaxDecimalScale) {
    result.error = quote_for_message(text) + " has too many digits";
    return result;
  }
  if (decimal.digits.empty()) {
    decimal.digits = "0";
    negative = false;  // PostgreSQL has no negative zero
  }
  decimal.negative = negative;
  result.value = std::move(decimal);
  return result;
}

std::string fit_decimal(Decimal& value, int precision, int scale) {
  const std::string type =
      "numeric(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
  if (precision <= 0 || scale < 0 || scale > precision) {
    return type + " is not a supported column type";
  }
  if (value.scale > scale) {
    // Round half away from zero at `scale` fraction digits, as PostgreSQL does.
    const auto drop = static_cast<std::size_t>(value.scale - scale);
    const std::string& digits = value.digits;
    std::string kept;
    bool round_up = false;
    if (digits.size() > drop) {
      kept = digits.substr(0, digits.size() - drop);
      round_up = digits[digits.size() - drop] >= '5';
    } else if (digits.size() == drop) {
      round_up = digits.front() >= '5';
    }
    if (round_up) {
      std::size_t i = kept.size();
      while (i > 0 && kept[i - 1] == '9') {
        kept[--i] = '0';
      }
      if (i == 0) {
        kept.insert(kept.begin(), '1');
      } else {
        ++kept[i - 1];
      }
    }
    const std::size_t first = kept.find_first_not_of('0');
    if (first == std::string::npos) {
      kept = "0";
      value.negative = false;
    } else {
      kept.erase(0, first);
    }
    value.digits = std::move(kept);
    value.scale = scale;
  } else if (value.scale < scale) {
    if (value.digits != "0") {
      value.digits.append(static_cast<std::size_t>(scale - value.scale), '0');
    }
    value.scale = scale;
  }
  const std::size_t integer_digits =
      value.digits == "0" || value.digits.size() <= static_cast<std::size_t>(value.scale)
          ? 0
          : value.digits.size() - static_cast<std::size_t>(value.scale);
  const auto allowed = static_cast<std::size_t>(precision - scale);
  if (integer_digits > allowed) {
    return type + " allows at most " + std::to_string(allowed) + " digits before the decimal point";
  }
  return {};
}

Parsed<bool> parse_bool(std::string_view text) {
  Parsed<bool> result;
  const std::string_view word = detail::trim_blanks(text);
  for (const std::string_view yes : {"true", "t", "1", "yes", "y", "on"}) {
    if (equals_lower(word, yes)) {
      result.value = true;
      return result;
    }
  }
  for (const std::string_view no : {"false", "f", "0", "no", "n", "off"}) {
    if (equals_lower(word, no)) {
      result.value = false;
      return result;
    }
  }
  result.error = quote_for_message(text) + " is not a valid boolean";
  return result;
}

bool is_valid_utf8(std::string_view text) {
  // One validator for the whole loader: the CSV reader's.
  return csv::is_valid_utf8(text);
}

}  // namespace dp::table
