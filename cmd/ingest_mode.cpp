#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cmd/database_session.hpp"
#include "cmd/ingest_options.hpp"
#include "cmd/modes.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/ingest/file_loader.hpp"
#include "core/ingest/file_mover.hpp"
#include "pipelines/register_all.hpp"

namespace dp::cmd {
namespace {

void print_outcome(const ingest::LoadOutcome& outcome, bool check, bool trial) {
  const auto name = outcome.path.string();
  switch (outcome.status) {
    case ingest::LoadStatus::kLoaded:
      std::cout << fmt::format("{}: {} {} rows into {}, {} rejected ({:.2f} s){}\n", name,
                               check ? "would load" : "loaded", outcome.rows_loaded,
                               outcome.pipeline, outcome.rows_rejected, outcome.seconds,
                               trial && !check ? "; a trial load (--limit): kept out of the "
                                                 "warehouse, replaced by the full load"
                                               : "");
      break;
    case ingest::LoadStatus::kDuplicate:
      std::cout << fmt::format("{}: duplicate of file id {} (same content); not loaded again\n",
                               name, outcome.duplicate_of);
      break;
    case ingest::LoadStatus::kFailed:
    case ingest::LoadStatus::kQuarantined:
      std::cout << fmt::format("{}: {}{}: {}\n", name, check ? "would be " : "",
                               ingest::to_string(outcome.status), outcome.error);
      break;
  }
  for (const auto& warning : outcome.warnings) {
    std::cout << fmt::format("{}: warning: {}\n", name, warning);
  }
  for (const auto& reject : outcome.first_rejects) {
    std::cout << fmt::format("  line {}: {}\n", reject.line, reject.message);
  }
  if (outcome.rows_rejected > outcome.first_rejects.size()) {
    std::cout << fmt::format("  ... {} more rejected rows\n",
                             outcome.rows_rejected - outcome.first_rejects.size());
  }
}

void show_progress(const ingest::LoadProgress& progress) {
  const double rate = progress.seconds > 0 ? progress.rows / progress.seconds : 0;
  const double percent =
      progress.bytes_total > 0 ? 100.0 * progress.bytes_read / progress.bytes_total : 0;
  if (isatty(STDERR_FILENO)) {
    std::cerr << fmt::format("\r{}: {} rows, {:.0f} rows/s, {:.1f}%   ", progress.file_name,
                             progress.rows, rate, percent)
              << std::flush;
  } else {
    spdlog::info("{}: {} rows, {:.0f} rows/s, {:.1f}% of bytes", progress.file_name, progress.rows,
                 rate, percent);
  }
}

}  // namespace

int run_ingest(const config::Settings& settings, const CommandLine& command_line) {
  const bool check = command_line.mode == Mode::kCheck;
  const auto kinds = pipelines::load_kinds(settings.kinds_dir);
  const pipeline::PipelineRegistry& registry = *kinds;
  DatabaseSession session(settings);
  if (settings.init_db) {
    session.migrate();
  }
  // One libpq connection for the start-up staging check and every file's load.
  db::LibpqConnection connection(session.conninfo());
  if (!check) {
    session.resolve_prepared_parts(connection);
  }
  session.ensure_staging(registry, connection);

  auto options = load_options_from(settings);
  options.dry_run = check;
  options.row_limit = command_line.limit;
  options.conninfo = session.conninfo();
  options.on_progress = show_progress;
  options.progress_interval = std::chrono::seconds(isatty(STDERR_FILENO) ? 1 : 5);
  const ingest::FileLoader loader(registry, options);
  ingest::MoveOptions move;
  move.imports_dir = settings.imports_dir;
  move.exports_dir = settings.exports_dir;
  move.modes.file = settings.output_mode;

  bool all_ok = true;
  for (const auto& file : command_line.files) {
    try {
      const auto outcome = loader.load(connection, file);
      if (isatty(STDERR_FILENO)) {
        std::cerr << "\r\033[K" << std::flush;
      }
      print_outcome(outcome, check, command_line.limit.has_value());
      if (!check && outcome.status == ingest::LoadStatus::kLoaded && outcome.rows_rejected > 0) {
        const auto exported = ingest::export_rejects(connection, outcome, move);
        std::cout << fmt::format("  rejects written to {}\n", exported.string());
      }
      all_ok = all_ok && (outcome.status == ingest::LoadStatus::kLoaded ||
                          outcome.status == ingest::LoadStatus::kDuplicate);
    } catch (const std::exception& error) {
      std::cout << fmt::format("{}: error: {}\n", file.string(), error.what());
      all_ok = false;
      if (!connection.is_open()) {
        connection = db::LibpqConnection(session.conninfo());
      }
    }
  }
  return all_ok ? kExitOk : kExitWorkFailed;
}

int run_init_db(const config::Settings& settings) {
  const auto kinds = pipelines::load_kinds(settings.kinds_dir);
  const pipeline::PipelineRegistry& registry = *kinds;
  DatabaseSession session(settings);
  session.migrate();
  session.ensure_staging(registry);
  std::cout << "database ready: " << session.display_name() << "\n";
  return kExitOk;
}

}  // namespace dp::cmd
