#include "core/warehouse/step_graph.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace dp::warehouse {
namespace {

/// Finds one cycle among the steps that Kahn's algorithm could not order and returns its names
/// in dependency order, the first repeated at the end.
std::vector<std::string> find_cycle(const std::vector<std::string>& names,
                                    const std::vector<std::vector<std::size_t>>& dependencies,
                                    const std::vector<bool>& ordered) {
  enum class Mark { kNew, kOnPath, kDone };
  std::vector<Mark> marks(names.size(), Mark::kNew);
  std::vector<std::size_t> path;
  std::vector<std::string> cycle;
  // Iterative depth-first search keeps deep manifests off the call stack.
  for (std::size_t start = 0; start < names.size() && cycle.empty(); ++start) {
    if (ordered[start] || marks[start] != Mark::kNew) {
      continue;
    }
    std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};
    marks[start] = Mark::kOnPath;
    path.assign(1, start);
    while (!stack.empty() && cycle.empty()) {
      auto& [node, next] = stack.back();
      if (next == dependencies[node].size()) {
        marks[node] = Mark::kDone;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      const std::size_t dependency = dependencies[node][next++];
      if (marks[dependency] == Mark::kOnPath) {
        const auto from = std::find(path.begin(), path.end(), dependency);
        for (auto it = from; it != path.end(); ++it) {
          cycle.push_back(names[*it]);
        }
        cycle.push_back(names[dependency]);
      } else if (marks[dependency] == Mark::kNew && !ordered[dependency]) {
        marks[dependency] = Mark::kOnPath;
        path.push_back(dependency);
        stack.emplace_back(dependency, 0);
      }
    }
  }
  return cycle;
}

}  // namespace

StepGraph::StepGraph(const std::vector<StepSpec>& steps)
    : dependencies_(steps.size()), dependents_(steps.size()) {
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    names_.push_back(steps[i].name);
    if (!index.emplace(steps[i].name, i).second) {
      throw ManifestError(fmt::format("step name {} is used twice", steps[i].name));
    }
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (const auto& dependency : steps[i].depends_on) {
      const auto found = index.find(dependency);
      if (found == index.end()) {
        throw ManifestError(
            fmt::format("step {} depends on {}, which is not a step", names_[i], dependency));
      }
      if (found->second == i) {
        throw ManifestError(fmt::format("step {} depends on itself", names_[i]));
      }
      dependencies_[i].push_back(found->second);
      dependents_[found->second].push_back(i);
    }
  }
  // Kahn's algorithm, always taking the lowest manifest index that is ready.
  std::vector<std::size_t> waiting(steps.size());
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    waiting[i] = dependencies_[i].size();
    if (waiting[i] == 0) {
      ready.insert(i);
    }
  }
  std::vector<bool> ordered(steps.size(), false);
  while (!ready.empty()) {
    const std::size_t step = *ready.begin();
    ready.erase(ready.begin());
    order_.push_back(step);
    ordered[step] = true;
    for (const std::size_t dependent : dependents_[step]) {
      if (--waiting[dependent] == 0) {
        ready.insert(dependent);
      }
    }
  }
  if (order_.size() != steps.size()) {
    throw ManifestError(fmt::format("the steps form a dependency cycle: {}",
                                    fmt::join(find_cycle(names_, dependencies_, ordered), " -> ")));
  }
}

std::vector<std::size_t> StepGraph::all_dependents(std::size_t step) const {
  std::vector<bool> seen(size(), false);
  std::vector<std::size_t> stack{step};
  while (!stack.empty()) {
    const std::size_t current = stack.back();
    stack.pop_back();
    for (const std::size_t dependent : dependents_[current]) {
      if (!seen[dependent]) {
        seen[dependent] = true;
        stack.push_back(dependent);
      }
    }
  }
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < size(); ++i) {
    if (seen[i]) {
      out.push_back(i);
    }
  }
  return out;
}

}  // namespace dp::warehouse
