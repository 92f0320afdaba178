#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/config/settings.hpp"
#include "core/warehouse/run_report.hpp"

namespace dp::warehouse {

/// Everything one warehouse build needs, taken from the settings by the caller so this layer
/// stays testable with small synthetic manifests.
struct PipelineOptions {
  /// libpq connection string of the database the service fills (secret; never logged).
  std::string conninfo;
  /// The step manifest, normally `<sql_dir>/warehouse/manifest.toml`.
  std::filesystem::path manifest;
  std::string staging_schema = "staging";
  std::string dw_schema = "datawarehouse";
  RunMode mode = RunMode::kIncremental;
  /// Steps run in parallel on up to this many connections (setting `workers`).
  std::size_t workers = 2;
  /// Retries of a step after a transient error (setting `pipeline_retries`).
  int retries = 2;
  /// Wait before each retry (setting `pipeline_retry_delay_s`).
  std::chrono::milliseconds retry_delay{std::chrono::seconds(60)};
  /// When another run holds the warehouse (setting `pipeline_lock`).
  config::PipelineLockPolicy lock = config::PipelineLockPolicy::kWait;
  /// Called once the lock is held and the batch opened (batch id, ledger files it takes), so a
  /// caller can announce the run before it ends; may be empty.
  std::function<void(std::int64_t batch_id, std::int64_t files)> on_started;
};

/// Builds the warehouse once: validates the manifest, takes the pipeline lock, opens a batch
/// (etl_begin_run), runs the step graph and closes the batch as succeeded or failed. A failed
/// step is a failed run in the report (status "failed", error naming the step and the database's
/// message), not an exception. Throws ManifestError before touching the database, PipelineBusy
/// when the lock is held and the policy is kFail, and pqxx/db errors when the database cannot be
/// reached or the run's bookkeeping fails (the run is then recorded as failed if possible).
RunReport build_warehouse(const PipelineOptions& options);

}  // namespace dp::warehouse
