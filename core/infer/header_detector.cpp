#include "core/infer/header_detector.hpp"

#include <set>

#include "core/table/parse_support.hpp"

namespace dp::infer {
namespace {

/// A header name as the loader matches it: trimmed, case-insensitive.
std::string normalized(const std::string& name) {
  std::string out;
  for (const char c : table::detail::trim_blanks(name)) {
    out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

bool names_unique_and_untyped(const std::vector<std::string>& first) {
  std::set<std::string> seen;
  for (const auto& value : first) {
    const auto name = normalized(value);
    if (name.empty() || !seen.insert(name).second) {
      return false;
    }
    TypeLadder alone;
    alone.add(value);
    if (alone.result().type != table::ColumnType::kText) {
      return false;
    }
  }
  return !first.empty();
}

}  // namespace

bool looks_like_header(const std::vector<std::string>& first,
                       const std::vector<InferredType>& body_types, bool has_body) {
  bool typed_body = false;
  for (std::size_t i = 0; i < body_types.size() && i < first.size(); ++i) {
    if (body_types[i].type == table::ColumnType::kText) {
      continue;
    }
    typed_body = true;
    if (!first[i].empty() && !TypeLadder::fits(body_types[i], first[i])) {
      return true;
    }
  }
  if (has_body && typed_body) {
    return false;
  }
  return names_unique_and_untyped(first);
}

}  // namespace dp::infer
