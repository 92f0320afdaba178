#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dp::pipelines::gen {

/// Calendar arithmetic on the proleptic Gregorian calendar (days since 1970-01-01), written out
/// because generators must format millions of timestamps without time zones or locale.
struct CivilDate {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

/// Days since 1970-01-01 of a calendar date.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);
/// The calendar date of a day number.
CivilDate civil_from_days(std::int64_t days);
/// 0 = Sunday .. 6 = Saturday.
unsigned weekday_from_days(std::int64_t days);
/// Days in the given year (365 or 366).
int days_in_year(int year);

inline constexpr std::int64_t kSecondsPerDay = 86400;
inline constexpr std::int64_t kMicrosPerSecond = 1000000;

/// Appends `value` in decimal.
void append_uint(std::string& out, std::uint64_t value);
/// Appends `value` with at least `width` digits, zero-padded.
void append_padded(std::string& out, std::uint64_t value, int width);
/// `YYYY-MM-DD`.
void append_date(std::string& out, std::int64_t days);
/// `YYYY-MM-DD<sep>HH:MM:SS` for epoch seconds (UTC).
void append_date_time(std::string& out, std::int64_t epoch_seconds, char separator);
/// `YYYY-MM-DD HH:MM:SS.ffffff` for epoch microseconds, as Python prints a datetime with
/// microseconds (the support-desk logs and analysts' updated_at).
void append_date_time_micros(std::string& out, std::int64_t epoch_micros);
/// A two-decimal amount given in cents, printed as Python prints a float rounded to two
/// decimals: `2542.89`, `2988.1`, `6475.0` (the marketing file's shape).
void append_python_cents(std::string& out, std::int64_t cents);

}  // namespace dp::pipelines::gen
