#include "core/metrics/service_metrics.hpp"

#include <pqxx/pqxx>

namespace dp::metrics {

namespace {

/// Brings a counter up to a total the service keeps itself.
void raise_counter(MetricsRegistry& registry, const char* name, std::uint64_t total) {
  const double value = static_cast<double>(total);
  if (value > registry.value(name)) {
    registry.add(name, {}, value - registry.value(name));
  }
}

}  // namespace

void declare_service_metrics(MetricsRegistry& registry) {
  registry.describe(kFilesTotal, MetricType::kCounter,
                    "Files decided by the ingest service, by pipeline and outcome.");
  registry.describe(kRowsLoadedTotal, MetricType::kCounter, "Rows loaded into staging.");
  registry.describe(kRowsRejectedTotal, MetricType::kCounter, "Rows rejected as invalid.");
  registry.describe_histogram(kLoadDurationSeconds, "Time taken to load one file.",
                              {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600});
  registry.describe(kBytesLoadedTotal, MetricType::kCounter, "Bytes of loaded files.");
  registry.describe(kQueueDepth, MetricType::kGauge, "Complete files waiting for a worker.");
  registry.describe(kLoadsInFlight, MetricType::kGauge, "Files being loaded right now.");
  registry.describe(kDatabaseUp, MetricType::kGauge,
                    "1 when the database answered the last readiness probe, else 0.");
  registry.describe(kFilesWaiting, MetricType::kGauge,
                    "Files in imports/ that the service has not taken yet.");
  registry.describe(kOldestFileAge, MetricType::kGauge,
                    "Age of the oldest file waiting in imports/.");
  registry.describe(kStaleFilesTotal, MetricType::kCounter,
                    "Files that waited in imports/ longer than stale_after.");
  registry.describe(kFilesRetrying, MetricType::kGauge,
                    "Files kept in imports/ and retried with backoff, by cause.");
  registry.describe(kChangedWhileLoadingTotal, MetricType::kCounter,
                    "Loads rolled back because the file changed while it was read.");
  registry.describe(kFilesReadTotal, MetricType::kCounter,
                    "Files this replica claimed and read (each file is read by one replica).");
  registry.describe(kClaimsBusyTotal, MetricType::kCounter,
                    "Files skipped because another replica held their claim.");
  registry.describe(kNotificationsSentTotal, MetricType::kCounter,
                    "Notifications delivered, by channel.");
  registry.describe(kNotificationsFailedTotal, MetricType::kCounter,
                    "Notifications that could not be delivered, by channel.");
  registry.describe(kNotificationsDroppedTotal, MetricType::kCounter,
                    "Notifications dropped because the delivery queue was full, by channel.");
  registry.describe(kWarehouseLastRunTimestamp, MetricType::kGauge,
                    "Unix time at which the last finished warehouse run ended.");
  registry.describe(kWarehouseLastRunDuration, MetricType::kGauge,
                    "Duration of the last finished warehouse run.");
  registry.describe(kWarehouseLastRunSuccess, MetricType::kGauge,
                    "1 when the last finished warehouse run succeeded, 0 when it failed.");
  registry.set(kQueueDepth, {}, 0);
  registry.set(kLoadsInFlight, {}, 0);
  registry.set(kFilesWaiting, {}, 0);
  registry.set(kOldestFileAge, {}, 0);
}

void record_outcome(MetricsRegistry& registry, const ingest::LoadOutcome& outcome) {
  const std::string pipeline = outcome.pipeline.empty() ? "none" : outcome.pipeline;
  registry.add(kFilesTotal,
               {{"pipeline", pipeline}, {"outcome", ingest::to_string(outcome.status)}});
  if (outcome.status == ingest::LoadStatus::kLoaded) {
    registry.add(kRowsLoadedTotal, {{"pipeline", pipeline}},
                 static_cast<double>(outcome.rows_loaded));
    registry.add(kBytesLoadedTotal, {}, static_cast<double>(outcome.size_bytes));
    registry.observe(kLoadDurationSeconds, {}, outcome.seconds);
  }
  if (outcome.rows_rejected > 0) {
    registry.add(kRowsRejectedTotal, {{"pipeline", pipeline}},
                 static_cast<double>(outcome.rows_rejected));
  }
}

void record_counters(MetricsRegistry& registry, const ingest::IngestCounters& counters) {
  registry.set(kQueueDepth, {}, static_cast<double>(counters.queued));
  registry.set(kLoadsInFlight, {}, static_cast<double>(counters.in_flight));
  registry.clear_series(kFilesRetrying);
  for (const auto& [cause, files] : counters.retrying) {
    registry.set(kFilesRetrying, {{"cause", cause}}, static_cast<double>(files));
  }
  raise_counter(registry, kChangedWhileLoadingTotal, counters.changed_while_loading);
  raise_counter(registry, kFilesReadTotal, counters.files_read);
  raise_counter(registry, kClaimsBusyTotal, counters.claims_busy);
}

void record_waiting(MetricsRegistry& registry, std::size_t waiting,
                    std::chrono::duration<double> oldest_age) {
  registry.set(kFilesWaiting, {}, static_cast<double>(waiting));
  registry.set(kOldestFileAge, {}, waiting == 0 ? 0.0 : oldest_age.count());
}

void record_last_warehouse_run(MetricsRegistry& registry, pqxx::connection& connection,
                               const std::string& dw_schema) {
  pqxx::read_transaction tx(connection);
  const auto exists =
      tx.exec_params1("SELECT to_regclass($1) IS NOT NULL", dw_schema + ".etl_runs")[0].as<bool>();
  if (!exists) {
    return;
  }
  const auto rows = tx.exec(
      "SELECT extract(epoch FROM finished_at)::float8, "
      "extract(epoch FROM finished_at - started_at)::float8, status = 'succeeded' FROM " +
      tx.quote_name(dw_schema) +
      ".etl_runs WHERE finished_at IS NOT NULL ORDER BY batch_id DESC LIMIT 1");
  if (rows.empty()) {
    return;
  }
  registry.set(kWarehouseLastRunTimestamp, {}, rows[0][0].as<double>());
  registry.set(kWarehouseLastRunDuration, {}, rows[0][1].as<double>());
  registry.set(kWarehouseLastRunSuccess, {}, rows[0][2].as<bool>() ? 1.0 : 0.0);
}

}  // namespace dp::metrics
