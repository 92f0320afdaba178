#pragma once

#include <string>

#include "core/config/settings.hpp"
#include "core/notify/notifier.hpp"
#include "core/warehouse/pipeline_runner.hpp"

namespace dp::metrics {
class MetricsRegistry;
}

namespace dp::cmd {

/// The notifier's options from the settings; shared by watch mode and `--pipeline`, so both
/// deliver to the same channels with the same trust store.
notify::NotifierOptions notifier_options_from(const config::Settings& settings);

/// The warehouse build's options from the settings; the caller sets mode and lock policy where
/// they differ (a scheduled run never waits for the lock).
warehouse::PipelineOptions pipeline_options_from(const config::Settings& settings,
                                                 const std::string& conninfo,
                                                 warehouse::RunMode mode);

/// Builds the warehouse once and tells operators about it: warehouse_started once the batch is
/// open, then warehouse_succeeded (files, rows, duration) or warehouse_failed (failing step and
/// error), and the last-run gauges when `metrics` is given. Exceptions of build_warehouse are
/// rethrown after the failure was announced, except PipelineBusy (the run never started).
/// Callable from any thread: the notifier only queues.
warehouse::RunReport build_warehouse_notified(warehouse::PipelineOptions options,
                                              notify::Notifier& notifier,
                                              metrics::MetricsRegistry* metrics);

}  // namespace dp::cmd
