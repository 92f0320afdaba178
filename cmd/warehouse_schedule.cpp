#include <utility>

#include "cmd/warehouse_schedule.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "cmd/warehouse_run.hpp"
#include "core/metrics/metrics_registry.hpp"
#include "core/notify/notifier.hpp"
#include "core/warehouse/pipeline_lock.hpp"

namespace dp::cmd {
namespace {

using Clock = std::chrono::steady_clock;
using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

/// What one attempt of a scheduled run came to.
enum class Attempt { kSucceeded, kFailed, kSkipped };

std::string duration_text(std::chrono::milliseconds duration) {
  return fmt::format("{:.1f} s", std::chrono::duration<double>(duration).count());
}

}  // namespace

struct WarehouseSchedule::Impl {
  Impl(boost::asio::io_context& io_context, const config::Settings& service_settings,
       std::string database, notify::Notifier& service_notifier,
       metrics::MetricsRegistry& service_metrics)
      : io(io_context),
        settings(service_settings),
        conninfo(std::move(database)),
        notifier(service_notifier),
        metrics(service_metrics) {}

  /// Waits until `deadline` or stop(); false when stopped.
  bool sleep_until(Clock::time_point deadline) {
    std::unique_lock lock(mutex);
    return !wake.wait_until(lock, deadline, [this] { return stopped; });
  }

  /// Keeps the io_context alive for the run's notifications; nullopt once stopped, so that no
  /// run starts after the service began shutting down.
  std::optional<WorkGuard> begin_run() {
    const std::lock_guard lock(mutex);
    if (stopped) {
      return std::nullopt;
    }
    return boost::asio::make_work_guard(io);
  }

  Attempt attempt_once() {
    auto options = pipeline_options_from(settings, conninfo, warehouse::RunMode::kIncremental);
    // A run in progress (a manual --pipeline, or a slow previous tick) has the warehouse; this
    // tick's files are taken by the next one.
    options.lock = config::PipelineLockPolicy::kFail;
    try {
      const auto report = build_warehouse_notified(options, notifier, &metrics);
      return report.succeeded() ? Attempt::kSucceeded : Attempt::kFailed;
    } catch (const warehouse::PipelineBusy& busy) {
      spdlog::info("scheduled warehouse run skipped: {}", busy.what());
      return Attempt::kSkipped;
    } catch (const std::exception& error) {
      spdlog::error("scheduled warehouse run failed: {}", error.what());
      return Attempt::kFailed;
    }
  }

  /// One tick: a run and, while it fails, up to pipeline_retries more after the retry delay.
  void tick() {
    for (int retry = 0;; ++retry) {
      auto guard = begin_run();
      if (!guard) {
        return;
      }
      const auto outcome = attempt_once();
      guard->reset();
      if (outcome != Attempt::kFailed) {
        return;
      }
      if (retry >= settings.pipeline_retries) {
        spdlog::error("scheduled warehouse run failed {} time(s); the next try is in {}", retry + 1,
                      duration_text(settings.pipeline_interval));
        return;
      }
      spdlog::warn("scheduled warehouse run failed; retry {} of {} in {}", retry + 1,
                   settings.pipeline_retries, duration_text(settings.pipeline_retry_delay_s));
      if (!sleep_until(Clock::now() + settings.pipeline_retry_delay_s)) {
        return;
      }
    }
  }

  void loop() {
    while (sleep_until(Clock::now() + settings.pipeline_interval)) {
      tick();
    }
  }

  boost::asio::io_context& io;
  const config::Settings& settings;
  std::string conninfo;
  notify::Notifier& notifier;
  metrics::MetricsRegistry& metrics;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopped = false;
  std::thread thread;
};

WarehouseSchedule::WarehouseSchedule(boost::asio::io_context& io, const config::Settings& settings,
                                     std::string conninfo, notify::Notifier& notifier,
                                     metrics::MetricsRegistry& metrics)
    : impl_(std::make_unique<Impl>(io, settings, std::move(conninfo), notifier, metrics)) {}

WarehouseSchedule::~WarehouseSchedule() {
  stop();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
}

void WarehouseSchedule::start() {
  spdlog::info("warehouse runs scheduled every {} (retries {}, {} apart)",
               duration_text(impl_->settings.pipeline_interval), impl_->settings.pipeline_retries,
               duration_text(impl_->settings.pipeline_retry_delay_s));
  impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
}

void WarehouseSchedule::stop() {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
  }
  impl_->wake.notify_all();
}

}  // namespace dp::cmd
