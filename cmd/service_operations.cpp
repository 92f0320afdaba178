#include <utility>

#include "cmd/service_operations.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <pqxx/pqxx>

#include "cmd/replica_identity.hpp"
#include "cmd/warehouse_run.hpp"
#include "cmd/warehouse_schedule.hpp"
#include "core/config/secrets.hpp"
#include "core/db/migrations.hpp"
#include "core/http/http_server.hpp"
#include "core/http/readiness_probe.hpp"
#include "core/ingest/ingest_service.hpp"
#include "core/ingest/replica_heartbeat.hpp"
#include "core/metrics/metrics_registry.hpp"
#include "core/metrics/service_metrics.hpp"
#include "core/notify/notifier.hpp"

namespace dp::cmd {

namespace {

/// How often gauges are refreshed and stale files looked for.
constexpr auto kCheckInterval = std::chrono::seconds(5);
/// How often the readiness probe connects to the database.
constexpr auto kProbeInterval = std::chrono::seconds(5);

db::MigrationOptions migration_options(const config::Settings& settings) {
  db::MigrationOptions options;
  options.dir = settings.sql_dir / "migrations";
  options.staging_schema = settings.staging_schema;
  options.dw_schema = settings.dw_schema;
  return options;
}

std::string first_line(std::string text) {
  if (const auto newline = text.find('\n'); newline != std::string::npos) {
    text.resize(newline);
  }
  return text;
}

}  // namespace

struct ServiceOperations::Impl {
  Impl(boost::asio::io_context& io_context, const config::Settings& service_settings,
       std::string database, ingest::IngestService& ingest_service)
      : io(io_context),
        settings(service_settings),
        conninfo(std::move(database)),
        service(ingest_service),
        notifier(io_context, notifier_options_from(service_settings), &metrics),
        timer(io_context) {
    metrics.set_constant_labels({{"replica", replica_id_of(service_settings)}});
    metrics::declare_service_metrics(metrics);
  }

  std::optional<std::string> check_database() {
    try {
      pqxx::connection connection(conninfo);
      metrics.set(metrics::kDatabaseUp, {}, 1);
      last_probe_error.clear();
      if (!db::migrations_current(connection, migration_options(settings))) {
        return std::string("database migrations are not applied");
      }
      try {
        metrics::record_last_warehouse_run(metrics, connection, settings.dw_schema);
      } catch (const std::exception& error) {
        spdlog::debug("metrics: cannot read the last warehouse run: {}", error.what());
      }
      return std::nullopt;
    } catch (const std::exception& error) {
      metrics.set(metrics::kDatabaseUp, {}, 0);
      // Hosts, addresses, users and driver text stay in the log (secrets masked): /readyz is
      // answered to whoever reaches the port and says only what is wrong.
      const auto detail = config::mask_secrets(first_line(error.what()));
      if (detail != last_probe_error) {
        spdlog::warn("readiness: database unreachable: {}", detail);
        last_probe_error = detail;
      }
      return std::string("database unreachable");
    }
  }

  void on_outcome(const ingest::LoadOutcome& outcome) {
    metrics::record_outcome(metrics, outcome);
    const auto name = outcome.path.filename().string();
    switch (outcome.status) {
      case ingest::LoadStatus::kFailed:
        notifier.notify({notify::EventKind::kFileFailed, name, first_line(outcome.error)});
        break;
      case ingest::LoadStatus::kQuarantined:
        notifier.notify({notify::EventKind::kFileQuarantined, name, first_line(outcome.error)});
        break;
      case ingest::LoadStatus::kLoaded:
        if (settings.notify_on_success) {
          notifier.notify(
              {notify::EventKind::kFileLoaded, name,
               fmt::format("{} rows into {}, {} rejected, {:.1f} s", outcome.rows_loaded,
                           outcome.pipeline, outcome.rows_rejected, outcome.seconds)});
        }
        break;
      case ingest::LoadStatus::kDuplicate:
        break;
    }
  }

  void periodic_check() {
    const auto counters = service.counters();
    metrics::record_counters(metrics, counters);
    const auto pending = service.pending_files();
    const auto now = std::chrono::steady_clock::now();
    std::chrono::duration<double> oldest{0};
    std::set<std::string> still_pending;
    for (const auto& file : pending) {
      const auto age = now - file.first_seen;
      oldest = std::max<std::chrono::duration<double>>(oldest, age);
      still_pending.insert(file.name);
      if (settings.stale_after.count() > 0 && age >= settings.stale_after &&
          reported_stale.insert(file.name).second) {
        const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(age).count();
        spdlog::warn("{} has waited in imports/ for {} min without being loaded (stale_after){}{}",
                     file.name, minutes, file.reason.empty() ? "" : ": ", file.reason);
        metrics.add(metrics::kStaleFilesTotal);
        notifier.notify({notify::EventKind::kStaleFile, file.name,
                         file.reason.empty()
                             ? fmt::format("waiting for {} min; still being written, or no kind "
                                           "matches it",
                                           minutes)
                             : fmt::format("waiting for {} min: {}", minutes, file.reason)});
      }
    }
    std::erase_if(reported_stale,
                  [&](const std::string& name) { return !still_pending.contains(name); });
    metrics::record_waiting(metrics, pending.size() + counters.queued, oldest);
  }

  void schedule_check() {
    timer.expires_after(kCheckInterval);
    timer.async_wait([this](const boost::system::error_code& error) {
      if (error || stopped) {
        return;
      }
      periodic_check();
      schedule_check();
    });
  }

  boost::asio::io_context& io;
  const config::Settings& settings;
  std::string conninfo;
  ingest::IngestService& service;
  metrics::MetricsRegistry metrics;
  notify::Notifier notifier;
  boost::asio::steady_timer timer;
  std::unique_ptr<http::ReadinessProbe> probe;
  std::unique_ptr<http::HttpServer> server;
  std::set<std::string> reported_stale;
  /// The last connection error the readiness probe logged (probe thread only), so a lasting
  /// outage is logged once, not every probe.
  std::string last_probe_error;
  bool stopped = false;
  std::unique_ptr<ingest::ReplicaHeartbeat> heartbeat;
  /// Last member: destroyed (joined) first, while the notifier and metrics it uses still exist.
  std::unique_ptr<WarehouseSchedule> schedule;
};

ServiceOperations::ServiceOperations(boost::asio::io_context& io, const config::Settings& settings,
                                     std::string conninfo, ingest::IngestService& service)
    : impl_(std::make_unique<Impl>(io, settings, std::move(conninfo), service)) {
  impl_->service.on_outcome(
      [impl = impl_.get()](const ingest::LoadOutcome& outcome) { impl->on_outcome(outcome); });
}

ServiceOperations::~ServiceOperations() = default;

void ServiceOperations::start() {
  auto& impl = *impl_;
  if (impl.notifier.enabled()) {
    spdlog::info("notifications enabled ({}{})",
                 impl.settings.telegram_bot_token.empty() ? "" : "telegram ",
                 impl.settings.webhook_url.empty() ? "" : "webhook");
  }
  if (impl.settings.http_port != 0) {
    impl.probe = std::make_unique<http::ReadinessProbe>([&impl] { return impl.check_database(); },
                                                        kProbeInterval);
    http::HttpLimits limits;
    limits.max_connections = impl.settings.http_max_connections;
    limits.client_timeout = impl.settings.http_client_timeout_s;
    impl.server = std::make_unique<http::HttpServer>(impl.io, impl.settings.http_bind,
                                                     impl.settings.http_port, limits);
    impl.server->route("/healthz", [] { return http::HttpResponse{200, "text/plain", "ok\n"}; });
    impl.server->route("/readyz", [&impl] {
      if (!impl.service.running()) {
        return http::HttpResponse{503, "text/plain", "the file watcher is not running\n"};
      }
      const auto state = impl.probe->state();
      if (!state.ready) {
        return http::HttpResponse{503, "text/plain", state.reason + "\n"};
      }
      return http::HttpResponse{200, "text/plain", "ready\n"};
    });
    impl.server->route("/metrics", [&impl] {
      impl.periodic_check();
      return http::HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                                impl.metrics.render()};
    });
    impl.server->start();
  }
  impl.schedule_check();
  ingest::ReplicaHeartbeatOptions beat;
  beat.conninfo = impl.conninfo;
  beat.replica_id = replica_id_of(impl.settings);
  beat.state = [&service = impl.service] {
    return ingest::ReplicaState{service.claimed_files(), service.counters().files_read};
  };
  impl.heartbeat = std::make_unique<ingest::ReplicaHeartbeat>(std::move(beat));
  impl.heartbeat->start();
  if (impl.settings.pipeline_interval.count() > 0) {
    impl.schedule = std::make_unique<WarehouseSchedule>(impl.io, impl.settings, impl.conninfo,
                                                        impl.notifier, impl.metrics);
    impl.schedule->start();
  }
}

void ServiceOperations::stop() {
  impl_->stopped = true;
  impl_->timer.cancel();
  if (impl_->schedule) {
    impl_->schedule->stop();
  }
  if (impl_->server) {
    impl_->server->stop();
  }
  if (impl_->heartbeat) {
    impl_->heartbeat->stop();
  }
  impl_->notifier.stop();
}

notify::Notifier& ServiceOperations::notifier() {
  return impl_->notifier;
}

}  // namespace dp::cmd
