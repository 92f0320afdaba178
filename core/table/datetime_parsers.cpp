// Date and timestamp conversions declared in value_parsers.hpp. They run once per field on the
// load path, so they are hand-written over the bytes and never allocate unless they fail.
#include <cstdint>

#include "core/table/message_text.hpp"
#include "core/table/parse_support.hpp"
#include "core/table/value_parsers.hpp"

namespace dp::table {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
/// Days from 1970-01-01 (the civil algorithm's epoch) to 2000-01-01 (PostgreSQL's epoch).
constexpr std::int64_t kUnixToPostgresDays = 10'957;

/// Days since 1970-01-01 of a proleptic Gregorian date (the "days from civil" algorithm: count
/// whole 400-year eras, then years, then days from a year that starts on March 1st).
constexpr std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + day_of_era - 719'468;
}
static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 1, 1) == kUnixToPostgresDays);
static_assert(days_from_civil(2000, 3, 1) == kUnixToPostgresDays + 60);

/// Microseconds since 2000-01-01 of the first instant we accept (0001-01-01) and of the first
/// one we do not (10000-01-01): a range the server accepts for both date and timestamp.
constexpr std::int64_t kMinMicros =
    (days_from_civil(1, 1, 1) - kUnixToPostgresDays) * kSecondsPerDay * kMicrosPerSecond;
constexpr std::int64_t kEndMicros =
    (days_from_civil(10'000, 1, 1) - kUnixToPostgresDays) * kSecondsPerDay * kMicrosPerSecond;

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

/// A read position over the text; every reader returns false without moving on a mismatch.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  bool literal(char c) {
    if (peek() != c || at_end()) {
      return false;
    }
    ++pos_;
    return true;
  }

  /// Exactly `count` ASCII digits as a number.
  bool fixed_digits(int count, int& out) {
    if (text_.size() - pos_ < static_cast<std::size_t>(count)) {
      return false;
    }
    int value = 0;
    for (int i = 0; i < count; ++i) {
      const char c = text_[pos_ + static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    pos_ += static_cast<std::size_t>(count);
    out = value;
    return true;
  }

  /// One to `max_count` digits of a fraction, scaled to `max_count` places (".5" → 500000).
  bool fraction_digits(int max_count, std::int64_t& out) {
    int count = 0;
    std::int64_t value = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9') {
      if (count == max_count) {
        return false;
      }
      value = value * 10 + (peek() - '0');
      ++count;
      ++pos_;
    }
    if (count == 0) {
      return false;
    }
    for (; count < max_count; ++count) {
      value *= 10;
    }
    out = value;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

/// Reads `YYYY-MM-DD` (year 0001-9999) into days since 2000-01-01.
bool read_date(Cursor& in, std::int64_t& days) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!in.fixed_digits(4, year) || !in.literal('-') || !in.fixed_digits(2, month) ||
      !in.literal('-') || !in.fixed_digits(2, day)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return false;
  }
  days = days_from_civil(year, month, day) - kUnixToPostgresDays;
  return true;
}

/// Reads `Z`, `±HH`, `±HH:MM` or `±HHMM` (up to ±15:59, PostgreSQL's limit) as seconds east.
bool read_zone(Cursor& in, std::int64_t& offset_seconds) {
  if (in.literal('Z') || in.literal('z')) {
    offset_seconds = 0;
    return true;
  }
  const char sign = in.peek();
  if (!in.literal('+') && !in.literal('-')) {
    return false;
  }
  int hours = 0;
  int minutes = 0;
  if (!in.fixed_digits(2, hours)) {
    return false;
  }
  if (in.literal(':')) {
    if (!in.fixed_digits(2, minutes)) {
      return false;
    }
  } else if (!in.at_end() && !in.fixed_digits(2, minutes)) {
    return false;
  }
  if (hours > 15 || minutes > 59) {
    return false;
  }
  offset_seconds = (hours * 3600 + minutes * 60) * (sign == '-' ? -1 : 1);
  return true;
}

/// The parts of an ISO 8601 date-time: wall-clock microseconds and the zone offset, if any.
struct TimestampParts {
  std::int64_t local_micros = 0;
  std::int64_t offset_seconds = 0;
};

bool read_timestamp(std::string_view text, TimestampParts& parts) {
  Cursor in(detail::trim_blanks(text));
  std::int64_t days = 0;
  if (!read_date(in, days)) {
    return false;
  }
  if (!in.literal('T') && !in.literal('t') && !in.literal(' ')) {
    return false;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::int64_t fraction = 0;
  if (!in.fixed_digits(2, hour) || !in.literal(':') || !in.fixed_digits(2, minute)) {
    return false;
  }
  if (in.literal(':')) {
    if (!in.fixed_digits(2, second)) {
      return false;
    }
    if (in.literal('.') && !in.fraction_digits(6, fraction)) {
      return false;
    }
  }
  // A leap second (60) is rejected: PostgreSQL would silently roll it into the next minute.
  if (hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  if (!in.at_end() && !read_zone(in, parts.offset_seconds)) {
    return false;
  }
  if (!in.at_end()) {
    return false;
  }
  parts.local_micros =
      (days * kSecondsPerDay + hour * 3600 + minute * 60 + second) * kMicrosPerSecond + fraction;
  return true;
}

Parsed<std::int64_t> timestamp_error(std::string_view text) {
  Parsed<std::int64_t> result;
  result.error = quote_for_message(text) + " is not a valid timestamp";
  return result;
}

}  // namespace

Parsed<std::int32_t> parse_date(std::string_view text) {
  Cursor in(detail::trim_blanks(text));
  std::int64_t days = 0;
  Parsed<std::int32_t> result;
  if (read_date(in, days) && in.at_end()) {
    result.value = static_cast<std::int32_t>(days);
  } else {
    result.error = quote_for_message(text) + " is not a valid date";
  }
  return result;
}

Parsed<std::int64_t> parse_timestamp(std::string_view text) {
  TimestampParts parts;
  if (!read_timestamp(text, parts)) {
    return timestamp_error(text);
  }
  Parsed<std::int64_t> result;
  result.value = parts.local_micros - parts.offset_seconds * kMicrosPerSecond;
  return result;
}

Parsed<std::int64_t> parse_local_timestamp(std::string_view text) {
  TimestampParts parts;
  if (!read_timestamp(text, parts)) {
    return timestamp_error(text);
  }
  Parsed<std::int64_t> result;
  result.value = parts.local_micros;
  return result;
}

Parsed<std::int64_t> parse_epoch_seconds(std::string_view text) {
  Parsed<std::int64_t> result;
  std::string_view rest = detail::trim_blanks(text);
  bool negative = false;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  // More than 12 digits of seconds is far outside years 1-9999; not accumulating them keeps
  // the arithmetic below free of overflow.
  std::int64_t seconds = 0;
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
    if (digits < 12) {
      seconds = seconds * 10 + (rest[digits] - '0');
    }
    ++digits;
  }
  Cursor in(rest.substr(digits));
  std::int64_t fraction = 0;
  const bool valid =
      digits > 0 && (!in.literal('.') || in.fraction_digits(6, fraction)) && in.at_end();
  if (!valid) {
    result.error = quote_for_message(text) + " is not a valid epoch time in seconds";
    return result;
  }
  const std::int64_t unix_micros = (seconds * kMicrosPerSecond + fraction) * (negative ? -1 : 1);
  const std::int64_t micros = unix_micros - kUnixToPostgresDays * kSecondsPerDay * kMicrosPerSecond;
  if (digits > 12 || micros < kMinMicros || micros >= kEndMicros) {
    result.error = quote_for_message(text) + " is outside the years 1-9999";
    return result;
  }
  result.value = micros;
  return result;
}

}  // namespace dp::table
