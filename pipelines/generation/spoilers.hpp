#pragma once

#include <string>
#include <vector>

#include "pipelines/generation/bad_row_plan.hpp"

namespace dp::pipelines::gen {

/// Spoilers every kind can use: a row one field short or one field long is rejected by the
/// field-count check whatever the kind.
inline void drop_last_field(std::vector<std::string>& fields, Random&) {
  fields.pop_back();
}
inline void add_extra_field(std::vector<std::string>& fields, Random&) {
  fields.emplace_back("extra");
}

/// A byte sequence that is not UTF-8 (a Latin-1 `é` as older exports write it).
inline constexpr const char* kNotUtf8 = "Caf\xE9";

}  // namespace dp::pipelines::gen
