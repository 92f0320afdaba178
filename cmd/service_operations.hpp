#pragma once

#include <memory>
#include <string>

#include "core/config/settings.hpp"

namespace boost::asio {
class io_context;
}

namespace dp::ingest {
class IngestService;
}

namespace dp::notify {
class Notifier;
}

namespace dp::cmd {

/// Everything watch mode offers operators besides loading: the HTTP endpoints (/healthz,
/// /readyz, /metrics), metrics fed from the ingest service, notifications of failed files and
/// stale-file alerts, scheduled warehouse runs. Kept out of watch_mode.cpp so the loop setup stays
/// readable.
class ServiceOperations {
 public:
  /// Builds the pieces; throws std::runtime_error on a bad notification URL or CA file.
  ServiceOperations(boost::asio::io_context& io, const config::Settings& settings,
                    std::string conninfo, ingest::IngestService& service);
  ~ServiceOperations();
  ServiceOperations(const ServiceOperations&) = delete;
  ServiceOperations& operator=(const ServiceOperations&) = delete;

  /// Starts the HTTP server (unless http_port is 0) and the periodic checks; throws when the
  /// port cannot be bound.
  void start();
  /// Stops listening and the timers so that io_context::run() can return. Io thread.
  void stop();
  /// For the warehouse runner: run started/succeeded/failed events go through it.
  notify::Notifier& notifier();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dp::cmd
