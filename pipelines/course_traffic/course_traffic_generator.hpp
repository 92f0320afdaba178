#pragma once

#include <cstdint>

#include "pipelines/generation/generated_csv_file.hpp"

namespace dp::pipelines {

/// The course-traffic sources in the sample (ids 1-10) and further plausible ones beyond them.
inline constexpr std::uint64_t kSampleTrafficSources = 10;

/// `traffic_sources.csv`: the sample's ten sources first, then further ones when more rows are
/// asked for.
gen::GeneratedFile generate_traffic_sources(const gen::GeneratorContext& context,
                                            std::uint64_t rows, std::uint64_t bad_rows);

/// `user_traffic.csv`: users referred by sources 1..`sources` between 2023-06 and 2025-06, ISO
/// 8601 UTC timestamps, a few returning users, and now and then a key repeated with a corrected
/// campaign code (the sample's quirk).
gen::GeneratedFile generate_user_traffic(const gen::GeneratorContext& context, std::uint64_t rows,
                                         std::uint64_t bad_rows, std::uint64_t sources);

/// `marketing_data_with_days.csv`: campaign days of sources 1..`sources` in 2023-2024, amounts
/// printed as the sample prints them (`2988.1`, `6475.0`), (source, date) pairs repeating.
gen::GeneratedFile generate_marketing_daily(const gen::GeneratorContext& context,
                                            std::uint64_t rows, std::uint64_t bad_rows,
                                            std::uint64_t sources);

}  // namespace dp::pipelines
