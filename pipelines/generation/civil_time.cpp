#include "pipelines/generation/civil_time.hpp"

namespace dp::pipelines::gen {

// Day-number conversions after Howard Hinnant's public-domain derivation ("chrono-Compatible
// Low-Level Date Algorithms"): eras of 400 years, years starting in March.
std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(y - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  date.month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  date.year = static_cast<int>(static_cast<std::int64_t>(year_of_era) + era * 400 +
                               (date.month <= 2 ? 1 : 0));
  return date;
}

unsigned weekday_from_days(std::int64_t days) {
  return static_cast<unsigned>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

int days_in_year(int year) {
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return leap ? 366 : 365;
}

void append_uint(std::string& out, std::uint64_t value) {
  char digits[20];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) {
    out += digits[--count];
  }
}

void append_padded(std::string& out, std::uint64_t value, int width) {
  std::uint64_t limit = 1;
  for (int i = 1; i < width; ++i) {
    limit *= 10;
    if (value < limit) {
      out += '0';
    }
  }
  append_uint(out, value);
}

void append_date(std::string& out, std::int64_t days) {
  const CivilDate date = civil_from_days(days);
  append_padded(out, static_cast<std::uint64_t>(date.year), 4);
  out += '-';
  append_padded(out, date.month, 2);
  out += '-';
  append_padded(out, date.day, 2);
}

void append_date_time(std::string& out, std::int64_t epoch_seconds, char separator) {
  std::int64_t days = epoch_seconds / kSecondsPerDay;
  std::int64_t seconds = epoch_seconds % kSecondsPerDay;
  if (seconds < 0) {
    seconds += kSecondsPerDay;
    --days;
  }
  append_date(out, days);
  out += separator;
  append_padded(out, static_cast<std::uint64_t>(seconds / 3600), 2);
  out += ':';
  append_padded(out, static_cast<std::uint64_t>(seconds / 60 % 60), 2);
  out += ':';
  append_padded(out, static_cast<std::uint64_t>(seconds % 60), 2);
}

void append_date_time_micros(std::string& out, std::int64_t epoch_micros) {
  std::int64_t seconds = epoch_micros / kMicrosPerSecond;
  std::int64_t micros = epoch_micros % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    --seconds;
  }
  append_date_time(out, seconds, ' ');
  out += '.';
  append_padded(out, static_cast<std::uint64_t>(micros), 6);
}

void append_python_cents(std::string& out, std::int64_t cents) {
  if (cents < 0) {
    out += '-';
    cents = -cents;
  }
  append_uint(out, static_cast<std::uint64_t>(cents / 100));
  out += '.';
  const auto fraction = static_cast<unsigned>(cents % 100);
  out += static_cast<char>('0' + fraction / 10);
  if (fraction % 10 != 0) {
    out += static_cast<char>('0' + fraction % 10);
  }
}

}  // namespace dp::pipelines::gen
