#include "core/http/readiness_probe.hpp"

#include <exception>
#include <utility>

namespace dp::http {

ReadinessProbe::ReadinessProbe(ReadinessCheck check, std::chrono::milliseconds interval)
    : check_(std::move(check)), interval_(interval), thread_([this] { loop(); }) {}

ReadinessProbe::~ReadinessProbe() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

ReadinessState ReadinessProbe::state() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

bool ReadinessProbe::checked() const {
  const std::lock_guard lock(mutex_);
  return checked_;
}

void ReadinessProbe::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    ReadinessState result;
    try {
      const auto reason = check_();
      result.ready = !reason.has_value();
      result.reason = reason.value_or("");
    } catch (const std::exception& error) {
      result.ready = false;
      result.reason = error.what();
    }
    if (const auto newline = result.reason.find('\n'); newline != std::string::npos) {
      result.reason.resize(newline);
    }
    lock.lock();
    state_ = std::move(result);
    checked_ = true;
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace dp::http
