#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipelines/generation/random_source.hpp"

namespace dp::pipelines::gen {

/// One way of making a good row bad that the kind's converter (or the CSV reader) must reject;
/// the manifest names the column and the reason so that a test can check the reject.
struct Spoiler {
  /// Column the reject will name (empty when the row as a whole is wrong).
  const char* column;
  /// What was done, for the manifest.
  const char* reason;
  /// Changes the good row's fields in place.
  void (*apply)(std::vector<std::string>& fields, Random& random);
};

/// A spoiled row as the manifest lists it.
struct BadRowRecord {
  /// 1-based line number in the file, header counted (the reject's line).
  std::uint64_t line = 0;
  std::string column;
  std::string reason;
};

/// Which data rows of a file to spoil: exactly `bad` distinct rows out of `rows`, chosen with
/// Floyd's sampling from their own random stream, so the good rows are the same bytes with or
/// without --bad-rows. Memory is proportional to `bad`, never to `rows`.
class BadRowPlan {
 public:
  BadRowPlan() = default;
  /// Throws std::invalid_argument when bad > rows.
  BadRowPlan(std::uint64_t seed, std::uint64_t rows, std::uint64_t bad);
  /// Whether data row `index` (0-based) is spoiled; indexes must be asked in increasing order.
  bool is_bad(std::uint64_t index);
  /// The random stream spoilers draw from.
  Random& random() { return random_; }
  /// Number of rows the plan spoils.
  std::uint64_t size() const { return chosen_.size(); }

 private:
  std::vector<std::uint64_t> chosen_;
  std::size_t next_ = 0;
  Random random_{0};
};

/// Splits `total` over parts in proportion to `weights` (largest remainder), so that a subject's
/// bad rows spread over its files and still add up exactly.
std::vector<std::uint64_t> split_proportionally(std::uint64_t total,
                                                const std::vector<std::uint64_t>& weights);

}  // namespace dp::pipelines::gen
