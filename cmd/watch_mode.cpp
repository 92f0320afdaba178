#include <functional>
#include <memory>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "cmd/database_session.hpp"
#include "cmd/ingest_options.hpp"
#include "cmd/kind_reloader.hpp"
#include "cmd/modes.hpp"
#include "cmd/service_operations.hpp"
#include "core/ingest/ingest_service.hpp"
#include "pipelines/register_all.hpp"

namespace dp::cmd {

int run_watch(const config::Settings& settings) {
  auto kinds =
      std::make_shared<pipeline::ActiveRegistry>(pipelines::load_kinds(settings.kinds_dir));
  DatabaseSession session(settings);
  if (settings.init_db) {
    session.migrate();
  }
  session.ensure_staging(*kinds->current());

  boost::asio::io_context io;
  ingest::IngestService service(
      io, kinds, service_options_from(settings, session.conninfo(), session.display_name()));
  KindReloader reloader(
      settings.kinds_dir, kinds,
      [&session](const pipeline::PipelineRegistry& registry) { session.ensure_staging(registry); });
  boost::asio::signal_set hangups(io, SIGHUP);
  std::function<void()> await_hangup = [&] {
    hangups.async_wait([&](const boost::system::error_code& error, int) {
      if (error) {
        return;
      }
      spdlog::info("received SIGHUP; re-reading the kinds in {}", settings.kinds_dir.string());
      reloader.request();
      await_hangup();
    });
  };
  await_hangup();
  ServiceOperations operations(io, settings, session.conninfo(), service);
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& error, int signal_number) {
    if (error) {
      return;
    }
    spdlog::info("received {}; finishing in-flight work and stopping",
                 signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    operations.stop();
    service.stop();
    hangups.cancel();
  });
  service.start();
  operations.start();
  io.run();
  const auto counters = service.counters();
  spdlog::info("stopped: {} files loaded, {} duplicates, {} failed, {} quarantined",
               counters.loaded, counters.duplicates, counters.failed, counters.quarantined);
  return kExitOk;
}

}  // namespace dp::cmd
