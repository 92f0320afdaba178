#include "core/analysis/chart_axis.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/analysis/text_format.hpp"

namespace dp::analysis {
namespace {

/// The smallest step of the form {1, 2, 5} x 10^k that is at least `raw`.
double nice_step(double raw) {
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * power >= raw * (1 - 1e-9)) {
      return factor * power;
    }
  }
  return 10 * power;
}

std::int64_t add_months(std::int64_t days, int months) {
  auto date = civil_from_days(days);
  const int index = date.year * 12 + static_cast<int>(date.month) - 1 + months;
  date.year = index / 12;
  date.month = static_cast<unsigned>(index % 12) + 1;
  date.day = 1;
  return days_from_civil(date);
}

/// Ticks every `months` months on the 1st, aligned to multiples of `months` in the year.
std::vector<Tick> month_ticks(std::int64_t first, std::int64_t last, int months) {
  auto date = civil_from_days(first);
  const int aligned = (static_cast<int>(date.month) - 1) / months * months;
  std::int64_t day = days_from_civil({date.year, static_cast<unsigned>(aligned + 1), 1});
  if (day < first) {
    day = add_months(day, months);
  }
  std::vector<Tick> ticks;
  for (; day <= last; day = add_months(day, months)) {
    ticks.push_back({static_cast<double>(day), format_iso_date(day).substr(0, 7)});
  }
  return ticks;
}

std::vector<Tick> year_ticks(std::int64_t first, std::int64_t last, int years) {
  const auto start = civil_from_days(first);
  int year = (start.year + years - 1) / years * years;
  if (days_from_civil({year, 1, 1}) < first) {
    year += years;
  }
  std::vector<Tick> ticks;
  for (auto day = days_from_civil({year, 1, 1}); day <= last;
       year += years, day = days_from_civil({year, 1, 1})) {
    ticks.push_back({static_cast<double>(day), std::to_string(year)});
  }
  return ticks;
}

/// Ticks every `step` days; with `mondays`, starting on the first Monday.
std::vector<Tick> day_ticks(std::int64_t first, std::int64_t last, int step, bool mondays) {
  std::int64_t day = first;
  if (mondays) {
    // 1970-01-01 was a Thursday: day 4 is a Monday.
    day = first + ((4 - first) % 7 + 7) % 7;
  }
  std::vector<Tick> ticks;
  for (; day <= last; day += step) {
    ticks.push_back({static_cast<double>(day), format_iso_date(day)});
  }
  return ticks;
}

}  // namespace

std::int64_t days_from_civil(const CivilDate& date) {
  // Howard Hinnant's days_from_civil: eras of 400 years, March-based years.
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (static_cast<std::int64_t>(date.month) + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(date.day) - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const auto year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

std::optional<std::int64_t> parse_iso_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return std::nullopt;
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) {
    return std::nullopt;
  }
  const CivilDate date{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
  const auto days = days_from_civil(date);
  const auto back = civil_from_days(days);
  if (back.month != date.month || back.day != date.day) {
    return std::nullopt;  // 2023-02-30 and the like
  }
  return days;
}

std::string format_iso_date(std::int64_t days) {
  const auto date = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

Axis linear_axis(double min, double max, int max_ticks, bool integers) {
  if (max < min) {
    std::swap(min, max);
  }
  if (max - min < 1e-12) {
    max = min + (integers ? 1.0 : std::max(1.0, std::fabs(min) * 0.1));
  }
  max_ticks = std::max(max_ticks, 1);
  double step = nice_step((max - min) / max_ticks);
  if (integers) {
    step = std::max(step, 1.0);
  }
  Axis axis;
  axis.min = std::floor(min / step + 1e-9) * step;
  axis.max = std::ceil(max / step - 1e-9) * step;
  const int count = static_cast<int>(std::lround((axis.max - axis.min) / step));
  for (int i = 0; i <= count; ++i) {
    double value = axis.min + i * step;
    if (std::fabs(value) < step * 1e-9) {
      value = 0;
    }
    axis.ticks.push_back({value, format_compact(value)});
  }
  return axis;
}

Axis log_axis(double min_positive, double max) {
  if (!(min_positive > 0)) {
    min_positive = 1;
  }
  max = std::max(max, min_positive * 10);
  const int low = static_cast<int>(std::floor(std::log10(min_positive) + 1e-9));
  const int high = static_cast<int>(std::ceil(std::log10(max) - 1e-9));
  Axis axis;
  axis.min = std::pow(10.0, low);
  axis.max = std::pow(10.0, high);
  for (int power = low; power <= high; ++power) {
    const double value = std::pow(10.0, power);
    axis.ticks.push_back({value, format_compact(value)});
  }
  return axis;
}

std::vector<Tick> date_ticks(std::int64_t first, std::int64_t last, int max_ticks) {
  if (last < first) {
    std::swap(first, last);
  }
  max_ticks = std::max(max_ticks, 2);
  for (const int step : {1, 2}) {
    auto ticks = day_ticks(first, last, step, false);
    if (static_cast<int>(ticks.size()) <= max_ticks) {
      return ticks;
    }
  }
  for (const int step : {7, 14}) {
    auto ticks = day_ticks(first, last, step, true);
    if (static_cast<int>(ticks.size()) <= max_ticks) {
      return ticks;
    }
  }
  for (const int months : {1, 2, 3, 6}) {
    auto ticks = month_ticks(first, last, months);
    if (static_cast<int>(ticks.size()) <= max_ticks) {
      return ticks;
    }
  }
  std::vector<Tick> ticks;
  for (const int years : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}) {
    ticks = year_ticks(first, last, years);
    if (static_cast<int>(ticks.size()) <= max_ticks) {
      break;
    }
  }
  return ticks;
}

}  // namespace dp::analysis
