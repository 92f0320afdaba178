#include "cmd/warehouse_run.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include <fmt/format.h>

#include "core/metrics/metrics_registry.hpp"
#include "core/metrics/service_metrics.hpp"
#include "core/warehouse/pipeline_lock.hpp"

namespace dp::cmd {
namespace {

std::string first_line(std::string text) {
  if (const auto newline = text.find('\n'); newline != std::string::npos) {
    text.resize(newline);
  }
  return text;
}

std::int64_t rows_written(const warehouse::RunReport& report) {
  std::int64_t rows = 0;
  for (const auto& step : report.steps) {
    rows += step.rows_affected.value_or(0);
  }
  return rows;
}

void record_run(metrics::MetricsRegistry* metrics, std::chrono::duration<double> duration,
                bool succeeded) {
  if (metrics == nullptr) {
    return;
  }
  const auto now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch());
  metrics->set(metrics::kWarehouseLastRunTimestamp, {}, now.count());
  metrics->set(metrics::kWarehouseLastRunDuration, {}, duration.count());
  metrics->set(metrics::kWarehouseLastRunSuccess, {}, succeeded ? 1.0 : 0.0);
}

}  // namespace

notify::NotifierOptions notifier_options_from(const config::Settings& settings) {
  notify::NotifierOptions options;
  options.telegram_api_url = settings.telegram_api_url;
  options.telegram_bot_token = settings.telegram_bot_token;
  options.telegram_chat_id = settings.telegram_chat_id;
  options.webhook_url = settings.webhook_url;
  options.tls.ca_file = settings.notify_ca_file;
  return options;
}

warehouse::PipelineOptions pipeline_options_from(const config::Settings& settings,
                                                 const std::string& conninfo,
                                                 warehouse::RunMode mode) {
  warehouse::PipelineOptions options;
  options.conninfo = conninfo;
  options.manifest = settings.sql_dir / "warehouse" / "manifest.toml";
  options.staging_schema = settings.staging_schema;
  options.dw_schema = settings.dw_schema;
  options.mode = mode;
  options.workers = static_cast<std::size_t>(std::max(1, settings.workers));
  options.retries = settings.pipeline_retries;
  options.retry_delay = settings.pipeline_retry_delay_s;
  options.lock = settings.pipeline_lock;
  return options;
}

warehouse::RunReport build_warehouse_notified(warehouse::PipelineOptions options,
                                              notify::Notifier& notifier,
                                              metrics::MetricsRegistry* metrics) {
  const auto started = std::chrono::steady_clock::now();
  std::int64_t batch_id = 0;
  options.on_started = [&](std::int64_t batch, std::int64_t files) {
    batch_id = batch;
    notifier.notify(
        {notify::EventKind::kWarehouseStarted, fmt::format("batch {}", batch),
         fmt::format("{}, {} ledger file(s)", warehouse::to_string(options.mode), files)});
  };
  warehouse::RunReport report;
  try {
    report = warehouse::build_warehouse(options);
  } catch (const warehouse::PipelineBusy&) {
    throw;
  } catch (const std::exception& error) {
    record_run(metrics, std::chrono::steady_clock::now() - started, false);
    notifier.notify(
        {notify::EventKind::kWarehouseFailed,
         batch_id == 0 ? std::string("run not started") : fmt::format("batch {}", batch_id),
         first_line(error.what())});
    throw;
  }
  record_run(metrics, report.duration, report.succeeded());
  const auto subject = fmt::format("batch {}", report.batch_id);
  const double seconds = std::chrono::duration<double>(report.duration).count();
  if (report.succeeded()) {
    notifier.notify({notify::EventKind::kWarehouseSucceeded, subject,
                     fmt::format("{} ledger file(s), {} rows written, {:.1f} s", report.files,
                                 rows_written(report), seconds)});
  } else {
    notifier.notify({notify::EventKind::kWarehouseFailed, subject,
                     fmt::format("{} (after {:.1f} s)", first_line(report.error), seconds)});
  }
  return report;
}

}  // namespace dp::cmd
