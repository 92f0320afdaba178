#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "core/ingest/ingest_service.hpp"
#include "core/ingest/load_types.hpp"
#include "core/metrics/metrics_registry.hpp"

namespace dp::metrics {

/// Names of the service's metric families, shared by the recorder, the tests and the docs.
inline constexpr const char* kFilesTotal = "dataprocessor_files_total";
inline constexpr const char* kRowsLoadedTotal = "dataprocessor_rows_loaded_total";
inline constexpr const char* kRowsRejectedTotal = "dataprocessor_rows_rejected_total";
inline constexpr const char* kLoadDurationSeconds = "dataprocessor_load_duration_seconds";
inline constexpr const char* kBytesLoadedTotal = "dataprocessor_bytes_loaded_total";
inline constexpr const char* kQueueDepth = "dataprocessor_queue_depth";
inline constexpr const char* kLoadsInFlight = "dataprocessor_loads_in_flight";
inline constexpr const char* kDatabaseUp = "dataprocessor_database_up";
inline constexpr const char* kFilesWaiting = "dataprocessor_import_files_waiting";
inline constexpr const char* kOldestFileAge = "dataprocessor_import_oldest_file_age_seconds";
inline constexpr const char* kStaleFilesTotal = "dataprocessor_stale_files_total";
inline constexpr const char* kFilesRetrying = "dataprocessor_files_retrying";
inline constexpr const char* kChangedWhileLoadingTotal =
    "dataprocessor_files_changed_while_loading_total";
inline constexpr const char* kFilesReadTotal = "dataprocessor_files_read_total";
inline constexpr const char* kClaimsBusyTotal = "dataprocessor_claims_busy_total";
inline constexpr const char* kNotificationsSentTotal = "dataprocessor_notifications_sent_total";
inline constexpr const char* kNotificationsFailedTotal = "dataprocessor_notifications_failed_total";
inline constexpr const char* kNotificationsDroppedTotal =
    "dataprocessor_notifications_dropped_total";
inline constexpr const char* kWarehouseLastRunTimestamp =
    "dataprocessor_warehouse_last_run_timestamp_seconds";
inline constexpr const char* kWarehouseLastRunDuration =
    "dataprocessor_warehouse_last_run_duration_seconds";
inline constexpr const char* kWarehouseLastRunSuccess = "dataprocessor_warehouse_last_run_success";

/// Declares every family with its HELP text so a fresh service already shows all of them.
void declare_service_metrics(MetricsRegistry& registry);

/// Counts one committed outcome (files, rows, bytes, duration) under its pipeline label.
void record_outcome(MetricsRegistry& registry, const ingest::LoadOutcome& outcome);

/// Sets the queue depth and in-flight gauges from the service's counters.
void record_counters(MetricsRegistry& registry, const ingest::IngestCounters& counters);

/// Sets the waiting-files gauges; `oldest_age` is ignored when `waiting` is 0.
void record_waiting(MetricsRegistry& registry, std::size_t waiting,
                    std::chrono::duration<double> oldest_age);

/// Reads the last finished warehouse run from `<dw_schema>.etl_runs` (if the table exists) into
/// the last-run gauges. Blocking: call it from the probe thread, not the event loop.
void record_last_warehouse_run(MetricsRegistry& registry, pqxx::connection& connection,
                               const std::string& dw_schema);

}  // namespace dp::metrics
