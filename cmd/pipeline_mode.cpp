#include <utility>

#include "cmd/pipeline_mode.hpp"

#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "cmd/database_session.hpp"
#include "cmd/modes.hpp"
#include "cmd/warehouse_run.hpp"
#include "core/notify/notifier.hpp"
#include "core/warehouse/pipeline_lock.hpp"
#include "core/warehouse/pipeline_runner.hpp"
#include "core/warehouse/step_manifest.hpp"
#include "pipelines/register_all.hpp"

namespace dp::cmd {
namespace {

/// Delivers the run's notifications from a thread of its own while the run blocks this one;
/// drain() gives undelivered messages a bounded time (the notifier's shutdown drain) before exit.
class NotifierThread {
 public:
  explicit NotifierThread(const config::Settings& settings)
      : notifier_(io_, notifier_options_from(settings), nullptr),
        guard_(boost::asio::make_work_guard(io_)),
        thread_([this] { io_.run(); }) {}
  ~NotifierThread() { drain(); }
  NotifierThread(const NotifierThread&) = delete;
  NotifierThread& operator=(const NotifierThread&) = delete;

  notify::Notifier& notifier() { return notifier_; }

  void drain() {
    if (!thread_.joinable()) {
      return;
    }
    boost::asio::post(io_, [this] { notifier_.stop(); });
    guard_.reset();
    thread_.join();
  }

 private:
  boost::asio::io_context io_;
  notify::Notifier notifier_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

}  // namespace

int run_pipeline(const config::Settings& settings, const CommandLine& command_line) {
  return run_pipeline(settings, command_line, std::cout);
}

int run_pipeline(const config::Settings& settings, const CommandLine& command_line,
                 std::ostream& out) {
  // The manifest is checked before the database is touched: a broken installation should not
  // start an embedded cluster or apply migrations.
  const auto manifest = settings.sql_dir / "warehouse" / "manifest.toml";
  try {
    warehouse::load_manifest(manifest);
  } catch (const warehouse::ManifestError& error) {
    out << "pipeline not started: " << error.what() << "\n";
    spdlog::error("pipeline not started: {}", error.what());
    return kExitWorkFailed;
  }

  const auto kinds = pipelines::load_kinds(settings.kinds_dir);
  const pipeline::PipelineRegistry& registry = *kinds;
  DatabaseSession session(settings);
  if (settings.init_db) {
    session.migrate();
  }
  // Steps read every kind's staging table, loaded or not yet.
  session.ensure_staging(registry);

  NotifierThread notifications(settings);
  try {
    const auto report = build_warehouse_notified(
        pipeline_options_from(
            settings, session.conninfo(),
            command_line.full ? warehouse::RunMode::kFull : warehouse::RunMode::kIncremental),
        notifications.notifier(), nullptr);
    out << warehouse::format_run_report(report) << std::flush;
    notifications.drain();
    return report.succeeded() ? kExitOk : kExitWorkFailed;
  } catch (const warehouse::PipelineBusy& busy) {
    out << "pipeline not started: " << busy.what() << "\n";
    spdlog::error("pipeline not started: {}", busy.what());
    return kExitWorkFailed;
  } catch (const warehouse::ManifestError& error) {
    out << "pipeline not started: " << error.what() << "\n";
    spdlog::error("pipeline not started: {}", error.what());
    return kExitWorkFailed;
  }
}

}  // namespace dp::cmd
