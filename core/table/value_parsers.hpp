#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dp::table {

/// A decimal number as written, kept exact (no binary floating point) for numeric columns.
struct Decimal {
  bool negative = false;
  /// Significant digits without sign or point, e.g. "254289" for "2542.89"; "0" for zero.
  std::string digits;
  /// Number of digits after the decimal point, e.g. 2 for "2542.89".
  int scale = 0;
};

/// Outcome of parsing one text value: the value, or a message saying why it is not one.
template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;
  explicit operator bool() const { return value.has_value(); }
};

/// Parses a base-10 integer (optional sign, surrounding spaces allowed), range-checked.
Parsed<std::int64_t> parse_int64(std::string_view text);
/// As parse_int64, but range-checked for a PostgreSQL `int`.
Parsed<std::int32_t> parse_int32(std::string_view text);
/// Parses a decimal such as `-12.50`, `3`, `1e3` is rejected (not how our feeds write numbers).
Parsed<Decimal> parse_decimal(std::string_view text);
/// Checks that a decimal fits numeric(precision, scale); rounds extra fraction digits half away
/// from zero the way PostgreSQL does. Returns an error message, empty when it fits.
std::string fit_decimal(Decimal& value, int precision, int scale);
/// Accepts true/false/t/f/1/0/yes/no/y/n/on/off, case-insensitively.
Parsed<bool> parse_bool(std::string_view text);
/// Parses `YYYY-MM-DD` into days since 2000-01-01 (PostgreSQL's date epoch).
Parsed<std::int32_t> parse_date(std::string_view text);
/// Parses ISO 8601 date-times: `YYYY-MM-DD[T| ]HH:MM[:SS[.ffffff]][Z|±HH[:MM]]`, into
/// microseconds since 2000-01-01 00:00:00 UTC. Without a zone the value is taken as UTC
/// (`timestamp` columns keep the wall-clock value as written).
Parsed<std::int64_t> parse_timestamp(std::string_view text);
/// As parse_timestamp, but a zone offset is ignored: what PostgreSQL stores when such text is
/// cast to `timestamp` (without time zone), so the loader agrees with the server.
Parsed<std::int64_t> parse_local_timestamp(std::string_view text);
/// Converts epoch seconds (integer, optionally with a fraction) to microseconds since 2000-01-01.
Parsed<std::int64_t> parse_epoch_seconds(std::string_view text);
/// Checks that bytes are valid UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

}  // namespace dp::table
