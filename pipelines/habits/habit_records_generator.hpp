#pragma once

#include <cstdint>

#include "pipelines/generation/generated_csv_file.hpp"

namespace dp::pipelines {

/// `habit_records.csv` in the tracker dump's shape (CRLF, no quotes): records in time order
/// from 2023-09-16, users with stable names in many scripts, ids below and above 32 bits,
/// often-empty username and last_name, is_premium true/false/empty, a few very active users.
gen::GeneratedFile generate_habit_records(const gen::GeneratorContext& context, std::uint64_t rows,
                                          std::uint64_t bad_rows);

}  // namespace dp::pipelines
