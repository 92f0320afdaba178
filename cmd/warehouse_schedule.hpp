#pragma once

#include <memory>
#include <string>

#include "core/config/settings.hpp"

namespace boost::asio {
class io_context;
}

namespace dp::metrics {
class MetricsRegistry;
}

namespace dp::notify {
class Notifier;
}

namespace dp::cmd {

/// Runs the warehouse build every `pipeline_interval` inside the watching service, on its own
/// thread so the event loop never blocks on the database. A run that fails is run again after
/// `pipeline_retry_delay_s`, up to `pipeline_retries` times; a tick that finds the pipeline lock
/// held by another run (a manual `--pipeline`) is skipped with a log line, never queued.
class WarehouseSchedule {
 public:
  /// Does nothing until start(); `io` is kept running while a run is in flight so its
  /// notifications are still delivered during shutdown.
  WarehouseSchedule(boost::asio::io_context& io, const config::Settings& settings,
                    std::string conninfo, notify::Notifier& notifier,
                    metrics::MetricsRegistry& metrics);
  /// Stops and joins the thread (waiting for an in-flight run to end).
  ~WarehouseSchedule();
  WarehouseSchedule(const WarehouseSchedule&) = delete;
  WarehouseSchedule& operator=(const WarehouseSchedule&) = delete;

  /// Starts the thread; the first run comes one interval after start-up.
  void start();
  /// Ends the schedule without blocking: no new run or retry starts; an in-flight run finishes.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dp::cmd
