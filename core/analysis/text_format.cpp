#include "core/analysis/text_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace dp::analysis {
namespace {

/// Decodes the UTF-8 sequence at `text[i]`, advancing `i`; a malformed byte counts as one
/// character (the database only sends valid UTF-8, but a width estimate must never loop).
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 1;
  char32_t code = lead;
  if (lead >= 0xF0) {
    length = 4;
    code = lead & 0x07U;
  } else if (lead >= 0xE0) {
    length = 3;
    code = lead & 0x0FU;
  } else if (lead >= 0xC0) {
    length = 2;
    code = lead & 0x1FU;
  }
  if (length == 1 || i + length > text.size()) {
    ++i;
    return lead;
  }
  for (std::size_t k = 1; k < length; ++k) {
    code = (code << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
  }
  i += length;
  return code;
}

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || c >= 0x20000;
}

/// Advance widths in em, rounded up from DejaVu Sans (the widest of the fonts the page names),
/// so that estimates err on the side of more room.
double em_width(char32_t c) {
  if (c == ' ' || c == 'i' || c == 'j' || c == 'l' || c == 'I' || c == '.' || c == ',' ||
      c == ':' || c == ';' || c == '\'' || c == '|' || c == '!') {
    return 0.34;
  }
  if (c == 'f' || c == 't' || c == 'r' || c == '(' || c == ')' || c == '-' || c == '/') {
    return 0.42;
  }
  if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '%' || c == '@') {
    return 0.92;
  }
  if (c >= '0' && c <= '9') {
    return 0.64;
  }
  if (c >= 'A' && c <= 'Z') {
    return 0.72;
  }
  if (c < 0x80) {
    return 0.62;
  }
  return is_wide(c) ? 1.0 : 0.68;
}

std::string group_thousands(std::string digits) {
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    out += ',';
    out.append(digits, i, 3);
  }
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_number(double value, int decimals) {
  if (std::isnan(value)) {
    return "\u2013";
  }
  std::string text = fmt::format("{:.{}f}", std::fabs(value), decimals);
  const auto dot = text.find('.');
  const std::string integer = text.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? std::string() : text.substr(dot);
  const bool negative = value < 0 && text.find_first_not_of("0.") != std::string::npos;
  return (negative ? "-" : "") + group_thousands(integer) + fraction;
}

std::string format_compact(double value) {
  const double magnitude = std::fabs(value);
  const auto trimmed = [](double v, const char* suffix) {
    std::string text = fmt::format("{:.1f}", v);
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) {
      text.resize(text.size() - 2);
    }
    return text + suffix;
  };
  if (magnitude >= 1e9) {
    return trimmed(value / 1e9, "G");
  }
  if (magnitude >= 1e6) {
    return trimmed(value / 1e6, "M");
  }
  if (magnitude >= 1e4) {
    return trimmed(value / 1e3, "k");
  }
  if (magnitude >= 100 || magnitude == std::floor(magnitude)) {
    return format_number(value, 0);
  }
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') {
    text.pop_back();
  }
  if (text.back() == '.') {
    text.pop_back();
  }
  return text;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

double text_width(std::string_view text, double font_size) {
  double ems = 0;
  for (std::size_t i = 0; i < text.size();) {
    ems += em_width(next_code_point(text, i));
  }
  return ems * font_size;
}

std::string truncate_to_width(std::string_view text, double font_size, double max_width) {
  if (text_width(text, font_size) <= max_width) {
    return std::string(text);
  }
  const double budget = max_width - text_width("\u2026", font_size);
  double used = 0;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < text.size();) {
    used += em_width(next_code_point(text, i)) * font_size;
    if (used > budget) {
      break;
    }
    cut = i;
  }
  std::string out(text.substr(0, cut));
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out + "\u2026";
}

}  // namespace dp::analysis
