#pragma once

#include <memory>
#include <mutex>

#include "core/pipeline/pipeline_registry.hpp"

namespace dp::pipeline {

/// The set of kinds in force, replaced as a whole when the kinds are re-read (SIGHUP). A load
/// takes current() once and keeps the pointer, so it finishes with the declarations it started
/// with while new loads already see the new set.
class ActiveRegistry {
 public:
  explicit ActiveRegistry(std::shared_ptr<const PipelineRegistry> registry);

  /// A registry owned elsewhere that is never replaced (one-shot modes, tests).
  static std::shared_ptr<ActiveRegistry> fixed(const PipelineRegistry& registry);

  /// The kinds in force now (any thread).
  std::shared_ptr<const PipelineRegistry> current() const;
  /// Puts `registry` in force for every load that starts from now on (any thread).
  void replace(std::shared_ptr<const PipelineRegistry> registry);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const PipelineRegistry> registry_;
};

}  // namespace dp::pipeline
