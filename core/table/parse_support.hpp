#pragma once

#include <string_view>

namespace dp::table::detail {

/// Drops surrounding spaces and tabs: feeds pad numbers and dates, and the value is unambiguous.
inline std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace dp::table::detail
