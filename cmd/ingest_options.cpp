#include "cmd/ingest_options.hpp"

#include "cmd/replica_identity.hpp"

namespace dp::cmd {

ingest::LoadOptions load_options_from(const config::Settings& settings) {
  ingest::LoadOptions options;
  options.staging_schema = settings.staging_schema;
  options.on_error = settings.on_error == config::RowErrorPolicy::kSkipFile
                         ? ingest::OnRowError::kSkipFile
                         : ingest::OnRowError::kContinue;
  options.max_reject_ratio = settings.max_reject_ratio;
  options.max_rejects = settings.max_rejects;
  options.extra_columns = settings.on_extra_columns == config::ExtraColumnsPolicy::kFail
                              ? pipeline::ExtraColumns::kFail
                              : pipeline::ExtraColumns::kIgnore;
  options.max_record_bytes = settings.max_record_bytes;
  options.parallel_copy_min_bytes = settings.parallel_copy_min_bytes;
  options.parallel_copy_streams = static_cast<std::size_t>(settings.parallel_copy_streams);
  return options;
}

ingest::IngestServiceOptions service_options_from(const config::Settings& settings,
                                                  const std::string& conninfo,
                                                  const std::string& display_name) {
  ingest::IngestServiceOptions options;
  options.watch.dir = settings.imports_dir;
  options.watch.mode = settings.watch_mode == config::WatchMode::kPoll ? watch::WatchMode::kPoll
                                                                       : watch::WatchMode::kInotify;
  options.watch.settle = settings.settle_ms;
  options.watch.rescan_interval = settings.rescan_interval_s;
  options.watch.poll_interval = settings.poll_interval_ms;
  options.load = load_options_from(settings);
  options.load.conninfo = conninfo;
  options.move.imports_dir = settings.imports_dir;
  options.move.exports_dir = settings.exports_dir;
  options.move.delete_loaded = settings.after_load == config::AfterLoad::kDelete;
  options.move.modes.file = settings.output_mode;
  options.conninfo = conninfo;
  options.conninfo_display = display_name;
  options.workers = settings.workers;
  options.replica_id = replica_id_of(settings);
  options.queue_capacity = settings.queue_capacity;
  options.retry_max_delay = settings.db_retry_max_delay_s;
  return options;
}

}  // namespace dp::cmd
