#include "cmd/kind_reloader.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "pipelines/register_all.hpp"

namespace dp::cmd {

KindReloader::KindReloader(std::filesystem::path kinds_dir,
                           std::shared_ptr<pipeline::ActiveRegistry> kinds,
                           std::function<void(const pipeline::PipelineRegistry&)> prepare)
    : kinds_dir_(std::move(kinds_dir)),
      kinds_(std::move(kinds)),
      prepare_(std::move(prepare)),
      worker_([this] { run(); }) {}

KindReloader::~KindReloader() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  worker_.join();
}

void KindReloader::request() {
  {
    const std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
}

void KindReloader::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) {
      return;
    }
    requested_ = false;
    lock.unlock();
    reload_once();
    lock.lock();
  }
}

void KindReloader::reload_once() {
  const std::size_t before = kinds_->current()->all().size();
  try {
    auto registry = pipelines::load_kinds(kinds_dir_);
    prepare_(*registry);
    const std::size_t after = registry->all().size();
    kinds_->replace(std::move(registry));
    spdlog::info("kinds re-read from {}: {} kinds in force (were {})", kinds_dir_.string(), after,
                 before);
  } catch (const std::exception& error) {
    spdlog::error("kinds re-read from {} failed, keeping the {} kinds in force: {}",
                  kinds_dir_.string(), before, error.what());
  }
}

}  // namespace dp::cmd
