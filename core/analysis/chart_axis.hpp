#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dp::analysis {

/// A civil (year, month, day) date, for axis labels and month arithmetic that day numbers alone
/// cannot do.
struct CivilDate {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

/// Days since 1970-01-01 (proleptic Gregorian): dates become numbers that can be placed on an
/// axis and compared, whatever the time zone of the machine.
std::int64_t days_from_civil(const CivilDate& date);
CivilDate civil_from_days(std::int64_t days);
/// Reads the `YYYY-MM-DD` that PostgreSQL prints for a date (anything after the day, such as a
/// time, is ignored); nullopt when the text is not such a date.
std::optional<std::int64_t> parse_iso_date(std::string_view text);
/// `YYYY-MM-DD` of a day number.
std::string format_iso_date(std::int64_t days);

/// One labelled mark on an axis.
struct Tick {
  double value = 0;
  std::string label;
};

/// An axis range and its ticks; the range always includes the data and ends on ticks, so bars
/// and lines never leave the plot.
struct Axis {
  double min = 0;
  double max = 1;
  std::vector<Tick> ticks;
};

/// A linear axis over [min, max] with at most `max_ticks` steps of 1, 2 or 5 times a power of
/// ten; `integers` keeps steps whole (counts of users cannot be 0.5). Labels are compact.
Axis linear_axis(double min, double max, int max_ticks, bool integers);

/// A logarithmic axis from the power of ten at or below `min_positive` to the one at or above
/// `max` (at least one decade), one tick per power: the marketing funnel spans impressions to
/// leads (1e8 to 1e5), team hours span 0.5 to 24.
Axis log_axis(double min_positive, double max);

/// Day-number ticks between `first` and `last` (inclusive), at most `max_ticks`: every day,
/// every 2 days, Mondays, every 2nd Monday, 1st of each (2nd, 3rd, 6th) month, or of a year,
/// whichever is the finest that fits; labelled `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
std::vector<Tick> date_ticks(std::int64_t first, std::int64_t last, int max_ticks);

}  // namespace dp::analysis
