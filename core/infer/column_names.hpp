#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dp::infer {

/// `Order ID` -> `order_id`, `Résumé#2` -> `r_sum_2`: lower-case ASCII letters, digits and single
/// underscores, starting with a letter (`column_` is put before a leading digit); empty when
/// nothing is left.
std::string snake_case(std::string_view text);

/// Staging column names for a header (or for `count` fields without one: column_1, ...):
/// snake_case, `column_N` for a name that comes out empty, a `_2`, `_3` suffix for repeats and
/// for the lineage columns every staging table already has (file_id, line_no).
std::vector<std::string> column_names(const std::vector<std::string>& header);

/// A kind name from a file name: its stem (without .gz and the last extension) in snake_case,
/// `kind_` before it when it does not start with a letter.
std::string kind_name_from_file(std::string_view file_name);

/// The draft's file pattern: the file name without .gz, lower-case, with each run of digits
/// replaced by `*` (so `analysts_2012.csv` drafts `analysts_*.csv`, matching the other years).
std::string file_pattern(std::string_view file_name);

}  // namespace dp::infer
