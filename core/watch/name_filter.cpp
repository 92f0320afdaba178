#include "core/watch/name_filter.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace dp::watch {
namespace {

/// Suffixes that browsers, download tools, SFTP clients and editors use for unfinished files.
constexpr std::array<std::string_view, 5> kTemporarySuffixes = {".part", ".tmp", ".crdownload",
                                                                ".filepart", ".swp"};

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) {
    return false;
  }
  const std::string_view tail = text.substr(text.size() - suffix.size());
  return std::equal(tail.begin(), tail.end(), suffix.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

}  // namespace

NameVerdict classify_name(std::string_view name) {
  if (name.empty() || name.front() == '.') {
    return NameVerdict::kHidden;
  }
  for (const std::string_view suffix : kTemporarySuffixes) {
    if (ends_with_ignoring_case(name, suffix)) {
      return NameVerdict::kTemporary;
    }
  }
  return NameVerdict::kAccept;
}

bool is_ignored_name(std::string_view name) {
  return classify_name(name) != NameVerdict::kAccept;
}

const char* to_string(NameVerdict verdict) {
  switch (verdict) {
    case NameVerdict::kAccept:
      return "accepted name";
    case NameVerdict::kHidden:
      return "hidden name";
    case NameVerdict::kTemporary:
      return "temporary name (*.part, *.tmp, *.crdownload, *.filepart, *.swp)";
  }
  return "unknown";
}

}  // namespace dp::watch
