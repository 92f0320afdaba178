#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dp::analysis {

/// Escapes `&`, `<`, `>`, `"` and `'` so that any database value is safe as HTML or SVG text
/// and inside a quoted attribute; the report never writes a value unescaped.
std::string html_escape(std::string_view text);

/// A number for people: thousands separated by commas and a fixed number of decimals
/// (`1,234,567.8`); "–" for NaN. Charts and tables share it so the same value reads the same.
std::string format_number(double value, int decimals);

/// A number in at most a few characters for axis ticks (`950`, `12k`, `3.5M`).
std::string format_compact(double value);

/// Parses a PostgreSQL numeric/integer text; nullopt for empty (NULL) or malformed text, so a
/// missing measure is drawn as missing rather than as zero.
std::optional<double> parse_number(std::string_view text);

/// Approximate rendered width in pixels of `text` at `font_size` in the report's sans-serif
/// font: charts size their margins from it, since an SVG has no layout engine of its own.
double text_width(std::string_view text, double font_size);

/// `text` cut to at most `max_width` pixels (see text_width) at a character boundary, with "…"
/// when something was cut, so long job titles never run into the plot.
std::string truncate_to_width(std::string_view text, double font_size, double max_width);

}  // namespace dp::analysis
