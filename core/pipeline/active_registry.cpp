#include "core/pipeline/active_registry.hpp"

#include <utility>

namespace dp::pipeline {

ActiveRegistry::ActiveRegistry(std::shared_ptr<const PipelineRegistry> registry)
    : registry_(std::move(registry)) {}

std::shared_ptr<ActiveRegistry> ActiveRegistry::fixed(const PipelineRegistry& registry) {
  // An aliasing pointer that owns nothing: the caller keeps the registry alive.
  return std::make_shared<ActiveRegistry>(
      std::shared_ptr<const PipelineRegistry>(std::shared_ptr<void>(), &registry));
}

std::shared_ptr<const PipelineRegistry> ActiveRegistry::current() const {
  const std::lock_guard lock(mutex_);
  return registry_;
}

void ActiveRegistry::replace(std::shared_ptr<const PipelineRegistry> registry) {
  const std::lock_guard lock(mutex_);
  registry_ = std::move(registry);
}

}  // namespace dp::pipeline
