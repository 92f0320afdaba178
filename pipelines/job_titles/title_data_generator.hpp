#pragma once

#include <cstdint>

#include "pipelines/generation/generated_csv_file.hpp"

namespace dp::pipelines {

/// `title_data.csv` in the sample's shape: header `title,pdl count,top related titles` plus 18
/// empty names, rows sorted by a Zipf-like falling count, nine skills and ten related titles per
/// row (most with a leading space), a few rows with trailing empty values (some with a cut-off
/// title such as `end developer`), non-ASCII titles, and exact repeats.
gen::GeneratedFile generate_title_data(const gen::GeneratorContext& context, std::uint64_t rows,
                                       std::uint64_t bad_rows);

}  // namespace dp::pipelines
