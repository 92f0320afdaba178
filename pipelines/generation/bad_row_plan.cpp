#include "pipelines/generation/bad_row_plan.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace dp::pipelines::gen {

BadRowPlan::BadRowPlan(std::uint64_t seed, std::uint64_t rows, std::uint64_t bad)
    : random_(mix(seed, 0xBAD0BAD0ULL)) {
  if (bad > rows) {
    throw std::invalid_argument("cannot spoil " + std::to_string(bad) + " rows of a file with " +
                                std::to_string(rows));
  }
  // Floyd's algorithm: for j in [rows - bad, rows) pick t in [0, j]; take t, or j if t is taken.
  std::unordered_set<std::uint64_t> taken;
  taken.reserve(bad);
  for (std::uint64_t j = rows - bad; j < rows; ++j) {
    const std::uint64_t t = random_.below(j + 1);
    taken.insert(taken.contains(t) ? j : t);
  }
  chosen_.assign(taken.begin(), taken.end());
  std::sort(chosen_.begin(), chosen_.end());
}

bool BadRowPlan::is_bad(std::uint64_t index) {
  while (next_ < chosen_.size() && chosen_[next_] < index) {
    ++next_;
  }
  return next_ < chosen_.size() && chosen_[next_] == index;
}

std::vector<std::uint64_t> split_proportionally(std::uint64_t total,
                                                const std::vector<std::uint64_t>& weights) {
  std::vector<std::uint64_t> parts(weights.size(), 0);
  unsigned __int128 weight_sum = 0;
  for (const std::uint64_t weight : weights) {
    weight_sum += weight;
  }
  if (weight_sum == 0) {
    return parts;
  }
  std::vector<std::pair<unsigned __int128, std::size_t>> remainders;
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const unsigned __int128 share = static_cast<unsigned __int128>(total) * weights[i];
    parts[i] = static_cast<std::uint64_t>(share / weight_sum);
    assigned += parts[i];
    remainders.emplace_back(share % weight_sum, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < total; ++k, ++assigned) {
    ++parts[remainders[k % remainders.size()].second];
  }
  return parts;
}

}  // namespace dp::pipelines::gen
