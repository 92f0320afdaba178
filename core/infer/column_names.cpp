#include "core/infer/column_names.hpp"

#include <set>

#include "core/table/table_model.hpp"

namespace dp::infer {
namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view without_suffix(std::string_view name, std::string_view suffix) {
  if (name.size() > suffix.size()) {
    std::string tail;
    for (const char c : name.substr(name.size() - suffix.size())) {
      tail += lower(c);
    }
    if (tail == suffix) {
      name.remove_suffix(suffix.size());
    }
  }
  return name;
}

/// Lower-case ASCII letters and digits, every other run of bytes one underscore, none at the
/// ends.
std::string snake_words(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char raw = text[i];
    const bool upper = raw >= 'A' && raw <= 'Z';
    const bool after_upper = i > 0 && text[i - 1] >= 'A' && text[i - 1] <= 'Z';
    const bool before_lower = i + 1 < text.size() && text[i + 1] >= 'a' && text[i + 1] <= 'z';
    // camelCase and SLAHours: a word starts at an upper-case letter that follows a lower-case
    // letter or digit, or that follows an upper-case letter and precedes a lower-case one.
    const bool word_start =
        upper && !out.empty() && out.back() != '_' && (!after_upper || before_lower);
    const char c = lower(raw);
    if (is_lower_alnum(c)) {
      if (word_start) {
        out += '_';
      }
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') {
    out.pop_back();
  }
  return out;
}

bool starts_with_digit(const std::string& text) {
  return !text.empty() && text.front() >= '0' && text.front() <= '9';
}

}  // namespace

std::string snake_case(std::string_view text) {
  std::string out = snake_words(text);
  return starts_with_digit(out) ? "column_" + out : out;
}

std::vector<std::string> column_names(const std::vector<std::string>& header) {
  std::set<std::string> taken{table::kFileIdColumn, table::kLineNoColumn};
  std::vector<std::string> names;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string base = snake_case(header[i]);
    if (base.empty()) {
      base = "column_" + std::to_string(i + 1);
    }
    std::string name = base;
    for (int suffix = 2; taken.contains(name); ++suffix) {
      name = base + "_" + std::to_string(suffix);
    }
    taken.insert(name);
    names.push_back(name);
  }
  return names;
}

std::string kind_name_from_file(std::string_view file_name) {
  std::string_view stem = without_suffix(file_name, ".gz");
  if (const auto dot = stem.rfind('.'); dot != std::string_view::npos && dot > 0) {
    stem = stem.substr(0, dot);
  }
  const std::string name = snake_words(stem);
  if (name.empty()) {
    return "kind";
  }
  return starts_with_digit(name) ? "kind_" + name : name;
}

std::string file_pattern(std::string_view file_name) {
  const std::string_view name = without_suffix(file_name, ".gz");
  std::string out;
  for (const char raw : name) {
    const char c = lower(raw);
    if (c >= '0' && c <= '9') {
      if (out.empty() || out.back() != '*') {
        out += '*';
      }
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace dp::infer
