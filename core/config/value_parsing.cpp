#include "core/config/value_parsing.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "core/config/config_error.hpp"

namespace dp::config {
namespace {

char lower_char(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

constexpr std::string_view kDurationExpectation =
    "expected a duration such as 250ms, 30s, 5m, 1h or a plain number";

struct Unit {
  std::string_view name;
  std::int64_t factor;
};

}  // namespace

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower_char);
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_char(x) == lower_char(y);
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool parse_bool(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, bool>, 8> kWords{{
      {"true", true},
      {"false", false},
      {"1", true},
      {"0", false},
      {"yes", true},
      {"no", false},
      {"on", true},
      {"off", false},
  }};
  const std::string_view word = trim(text);
  for (const auto& [name, value] : kWords) {
    if (equals_ignoring_case(word, name)) {
      return value;
    }
  }
  throw ValueError("expected true/false/1/0/yes/no/on/off");
}

std::int64_t parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
  const std::string_view digits = trim(text);
  std::int64_t value = 0;
  const auto* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  const bool plus_sign = !digits.empty() && digits.front() == '+';
  if (digits.empty() || plus_sign || ec == std::errc::invalid_argument || ptr != end) {
    throw ValueError(fmt::format("expected a whole number from {} to {}", min, max));
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    throw ValueError(fmt::format("expected a whole number from {} to {}", min, max));
  }
  return value;
}

double parse_number(std::string_view text, double min, double max) {
  const std::string_view digits = trim(text);
  double value = 0;
  const auto* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value, std::chars_format::fixed);
  if (digits.empty() || ec != std::errc{} || ptr != end || !(value >= min && value <= max)) {
    throw ValueError(fmt::format("expected a number from {} to {}", min, max));
  }
  return value;
}

std::chrono::milliseconds parse_duration(std::string_view text, PlainDurationUnit plain_unit) {
  // Longer names first so that "ms" is not read as "m" followed by junk.
  static constexpr std::array<Unit, 5> kUnits{{
      {"ms", 1},
      {"s", 1000},
      {"m", 60 * 1000},
      {"h", 60 * 60 * 1000},
      {"d", 24 * 60 * 60 * 1000},
  }};
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 2;
  std::string_view rest = trim(text);
  if (rest.empty()) {
    throw ValueError(std::string(kDurationExpectation));
  }
  std::int64_t total = 0;
  bool first = true;
  while (!rest.empty()) {
    std::size_t digits = 0;
    while (digits < rest.size() && is_digit(rest[digits])) {
      ++digits;
    }
    std::int64_t amount = 0;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + digits, amount);
    if (digits == 0 || ec != std::errc{}) {
      throw ValueError(std::string(kDurationExpectation));
    }
    rest.remove_prefix(digits);
    std::int64_t factor = 0;
    if (rest.empty() && first) {
      factor = plain_unit == PlainDurationUnit::kMilliseconds ? 1 : 1000;
    } else {
      for (const Unit& unit : kUnits) {
        if (rest.size() >= unit.name.size() &&
            equals_ignoring_case(rest.substr(0, unit.name.size()), unit.name) &&
            (rest.size() == unit.name.size() || is_digit(rest[unit.name.size()]))) {
          factor = unit.factor;
          rest.remove_prefix(unit.name.size());
          break;
        }
      }
      if (factor == 0) {
        throw ValueError(std::string(kDurationExpectation));
      }
    }
    if (amount > (kMax - total) / factor) {
      throw ValueError("duration is too long");
    }
    total += amount * factor;
    first = false;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds duration) {
  static constexpr std::array<Unit, 4> kUnits{{
      {"d", 24 * 60 * 60 * 1000},
      {"h", 60 * 60 * 1000},
      {"m", 60 * 1000},
      {"s", 1000},
  }};
  std::int64_t rest = duration.count();
  if (rest == 0) {
    return "0s";
  }
  std::string out;
  if (rest < 0) {
    out += '-';
    rest = -rest;
  }
  for (const Unit& unit : kUnits) {
    if (rest >= unit.factor) {
      out += fmt::format("{}{}", rest / unit.factor, unit.name);
      rest %= unit.factor;
    }
  }
  if (rest > 0) {
    out += fmt::format("{}ms", rest);
  }
  return out;
}

std::uint64_t parse_byte_size(std::string_view text) {
  static constexpr std::array<Unit, 7> kUnits{{
      {"b", 1},
      {"kib", 1024},
      {"mib", 1024 * 1024},
      {"gib", 1024 * 1024 * 1024},
      {"kb", 1000},
      {"mb", 1000 * 1000},
      {"gb", 1000 * 1000 * 1000},
  }};
  constexpr std::string_view kExpectation =
      "expected a size in bytes such as 1048576, 512KiB, 16MiB or 1GiB";
  const std::string_view value = trim(text);
  std::size_t digits = 0;
  while (digits < value.size() && is_digit(value[digits])) {
    ++digits;
  }
  std::uint64_t amount = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + digits, amount);
  if (digits == 0 || ec != std::errc{}) {
    throw ValueError(std::string(kExpectation));
  }
  const std::string_view unit_name = trim(value.substr(digits));
  std::uint64_t factor = unit_name.empty() ? 1 : 0;
  for (const Unit& unit : kUnits) {
    if (equals_ignoring_case(unit_name, unit.name)) {
      factor = static_cast<std::uint64_t>(unit.factor);
    }
  }
  if (factor == 0) {
    throw ValueError(std::string(kExpectation));
  }
  if (amount > std::numeric_limits<std::uint64_t>::max() / factor) {
    throw ValueError("size is too large");
  }
  return amount * factor;
}

std::string format_byte_size(std::uint64_t bytes) {
  static constexpr std::array<Unit, 3> kUnits{{
      {"GiB", 1024 * 1024 * 1024},
      {"MiB", 1024 * 1024},
      {"KiB", 1024},
  }};
  for (const Unit& unit : kUnits) {
    const auto factor = static_cast<std::uint64_t>(unit.factor);
    if (bytes != 0 && bytes % factor == 0) {
      return fmt::format("{}{}", bytes / factor, unit.name);
    }
  }
  return std::to_string(bytes);
}

}  // namespace dp::config
