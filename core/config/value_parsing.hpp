#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace dp::config {

/// Settings keys are case-insensitive, so lookups compare lowered names.
std::string to_lower(std::string_view text);
/// Environment variable names are the upper-case setting keys.
std::string to_upper(std::string_view text);
/// Case-insensitive ASCII comparison for keys and enum values.
bool equals_ignoring_case(std::string_view a, std::string_view b);
/// Values from .env files and the environment often carry stray spaces around numbers.
std::string_view trim(std::string_view text);

/// Strict boolean: true/false/1/0/yes/no/on/off in any case and nothing else, so that a typo
/// such as "ture" stops start-up instead of silently meaning false. Throws ValueError.
bool parse_bool(std::string_view text);

/// Base-10 integer within [min, max]; a sign, spaces inside or trailing junk are errors.
/// Throws ValueError naming the allowed range.
std::int64_t parse_integer(std::string_view text, std::int64_t min, std::int64_t max);

/// Decimal number such as `0.1` within [min, max]. Throws ValueError.
double parse_number(std::string_view text, double min, double max);

/// What a bare number means in a duration setting: `settle_ms = 200` is milliseconds,
/// `rescan_interval_s = 30` and `stale_after = 600` are seconds.
enum class PlainDurationUnit { kMilliseconds, kSeconds };

/// The one duration syntax of all settings: `250ms`, `30s`, `5m`, `1h`, `2d`, combinations such
/// as `1h30m`, or a bare number in `plain_unit`. Throws ValueError.
std::chrono::milliseconds parse_duration(
    std::string_view text, PlainDurationUnit plain_unit = PlainDurationUnit::kSeconds);

/// Prints a duration back in the same syntax (`1h30m`, `250ms`, `0s`) for --help and describe().
std::string format_duration(std::chrono::milliseconds duration);

/// Byte counts: a bare number of bytes, or with a unit `KiB`/`MiB`/`GiB` (1024-based) or
/// `KB`/`MB`/`GB` (1000-based), case-insensitive. Throws ValueError.
std::uint64_t parse_byte_size(std::string_view text);

/// Prints a byte count in the largest binary unit that divides it exactly (`16MiB`).
std::string format_byte_size(std::uint64_t bytes);

}  // namespace dp::config
