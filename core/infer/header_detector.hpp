#pragma once

#include <string>
#include <vector>

#include "core/infer/type_ladder.hpp"

namespace dp::infer {

/// Whether the first sampled record is a header, by DuckDB's documented rule: when the body
/// (the later records) has typed columns, the first record is a header if one of its values does
/// not fit its column's type; when every body column is text (or there is no body), it is a
/// header if its values are all non-empty, unique (case-insensitively, trimmed) and none of them
/// would be typed on its own.
bool looks_like_header(const std::vector<std::string>& first,
                       const std::vector<InferredType>& body_types, bool has_body);

}  // namespace dp::infer
