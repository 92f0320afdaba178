#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipelines/generation/generated_csv_file.hpp"
#include "pipelines/support_desk/support_desk_world.hpp"

namespace dp::pipelines {

/// `analysts_YYYY.csv` for every snapshot year (each with shape().analysts rows, sorted by
/// created_at, with leavers, new hires and yearly `UpdN` changes of name, team and skills) and
/// the change file `analysts.csv` (updates in the following year). Bad rows go to the first
/// snapshot.
std::vector<gen::GeneratedFile> generate_analyst_snapshots(const gen::GeneratorContext& context,
                                                           const SupportDeskWorld& world,
                                                           std::uint64_t bad_rows);

/// The cases created in years first_year..last_year, in creation order, into one file.
gen::GeneratedFile generate_cases_file(const gen::GeneratorContext& context,
                                       const SupportDeskWorld& world, const std::string& name,
                                       int first_year, int last_year, std::uint64_t bad_rows);

/// The logs of the cases created from first_year on, into one file, each year's events in time
/// order (as the sample's yearly files and their concatenation are). Stops after last_year, or
/// after `row_limit` rows when it is not 0 (then years past the case range are added until
/// the limit is reached). Bad rows need a row limit, since they are chosen in advance.
gen::GeneratedFile generate_logs_file(const gen::GeneratorContext& context,
                                      const SupportDeskWorld& world, const std::string& name,
                                      int first_year, int last_year, std::uint64_t row_limit,
                                      std::uint64_t bad_rows);

/// `products.csv`: product lines, then groups (each under a line), then products (each under a
/// group); lines have an empty parent.
gen::GeneratedFile generate_products(const gen::GeneratorContext& context,
                                     const SupportDeskWorld& world, std::uint64_t bad_rows);

/// `calendar.csv`: the `-1` row for unknown dates (1900-01-01), then one row per day from
/// 2010-01-01; `rows` counts the -1 row. Throws std::invalid_argument past year 9999.
gen::GeneratedFile generate_calendar(const gen::GeneratorContext& context, std::uint64_t rows,
                                     std::uint64_t bad_rows);

/// `PrioritySLA.csv`: High, Normal, Low as in the sample, then further numbered priorities.
gen::GeneratedFile generate_priority_sla(const gen::GeneratorContext& context, std::uint64_t rows,
                                         std::uint64_t bad_rows);

/// The support-desk shape for `cases` cases: analysts and products grow with the case count
/// in the sample's proportions.
SupportDeskShape support_desk_shape_for_cases(std::uint64_t cases);

}  // namespace dp::pipelines
