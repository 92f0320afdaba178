#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "cmd/database_session.hpp"
#include "cmd/ingest_options.hpp"
#include "cmd/modes.hpp"
#include "cmd/service_operations.hpp"
#include "core/ingest/ingest_service.hpp"
#include "pipelines/register_all.hpp"

namespace dp::cmd {

int run_watch(const config::Settings& settings) {
  const auto kinds = pipelines::load_kinds(settings.kinds_dir);
  const pipeline::PipelineRegistry& registry = *kinds;
  DatabaseSession session(settings);
  if (settings.init_db) {
    session.migrate();
  }
  session.ensure_staging(registry);

  boost::asio::io_context io;
  ingest::IngestService service(
      io, registry, service_options_from(settings, session.conninfo(), session.display_name()));
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
