#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/warehouse/step_manifest.hpp"

namespace dp::warehouse {

/// The steps' dependencies as indexes: what the scheduler needs to know which steps may start
/// and which must be skipped when one fails. Steps keep their manifest index.
class StepGraph {
 public:
  /// Validates the dependencies; throws ManifestError naming an unknown or self dependency, or
  /// the steps of a cycle in order (`a -> b -> a`).
  explicit StepGraph(const std::vector<StepSpec>& steps);

  std::size_t size() const { return names_.size(); }
  const std::string& name(std::size_t step) const { return names_[step]; }
  /// Steps that must succeed before `step` starts.
  const std::vector<std::size_t>& dependencies(std::size_t step) const {
    return dependencies_[step];
  }
  /// Steps that wait for `step`.
  const std::vector<std::size_t>& dependents(std::size_t step) const { return dependents_[step]; }
  /// Every step that (directly or not) waits for `step`, in manifest order: what a failure of
  /// `step` skips.
  std::vector<std::size_t> all_dependents(std::size_t step) const;
  /// A sequential order in which every step follows its dependencies (manifest order among
  /// independent steps), for messages and tests.
  const std::vector<std::size_t>& sequential_order() const { return order_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<std::size_t>> dependencies_;
  std::vector<std::vector<std::size_t>> dependents_;
  std::vector<std::size_t> order_;
};

}  // namespace dp::warehouse
