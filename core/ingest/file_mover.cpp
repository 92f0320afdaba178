#include "core/ingest/file_mover.hpp"

#include <ctime>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include "core/db/pg_error.hpp"

namespace dp::ingest {
namespace fs = std::filesystem;
namespace {

std::string today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &local);
  return text;
}

/// The service-owned folder `relative` under imports/, verified at every step.
files::SafeDirectory imports_folder(const MoveOptions& options, const fs::path& relative) {
  return files::SafeDirectory::open_configured(options.imports_dir, options.modes)
      .descend(relative);
}

/// Writes NAME.error.txt beside the quarantined file, or NAME.error-1.txt, ... when an earlier
/// file (say, one that was itself named NAME.error.txt) holds that name.
void write_error_report(const files::SafeDirectory& folder, const fs::path& moved,
                        const LoadOutcome& outcome) {
  files::AtomicFileWriter writer(folder, moved.filename().string() + ".error.txt");
  writer.append(error_report(outcome));
  writer.commit_without_overwrite(".error.txt");
}

}  // namespace

fs::path move_without_overwrite(const fs::path& from, const files::SafeDirectory& to_dir) {
  const auto source = files::SafeDirectory::open_configured(
      from.has_parent_path() ? from.parent_path() : fs::path("."), to_dir.modes());
  const auto name = from.filename().string();
  const auto taken = files::rename_without_replacing(source, name, to_dir, name);
  to_dir.sync();
  return to_dir.path() / taken;
}

std::string error_report(const LoadOutcome& outcome) {
  std::string report = fmt::format("file: {}\noutcome: {}\n", outcome.path.filename().string(),
                                   to_string(outcome.status));
  if (!outcome.pipeline.empty()) {
    report += fmt::format("kind: {}\n", outcome.pipeline);
  }
  if (outcome.file_id != 0) {
    report += fmt::format("ledger file id: {}\n", outcome.file_id);
  }
  report += fmt::format("sha256: {}\nsize: {} bytes\nreason: {}\n", outcome.sha256,
                        outcome.size_bytes, outcome.error);
  if (outcome.rows_rejected > 0) {
    report += fmt::format("\nrejected rows: {} (first {} below; all in ingest.rejects)\n",
                          outcome.rows_rejected, outcome.first_rejects.size());
    for (const auto& reject : outcome.first_rejects) {
      report += fmt::format("line {}: {}\n", reject.line, reject.message);
    }
  }
  return report;
}

fs::path settle_file(const LoadOutcome& outcome, const MoveOptions& options) {
  const auto name = outcome.path.filename();
  if (outcome.identity && watch::lstat_file(outcome.path) != outcome.identity) {
    // New bytes arrived under this name after it was hashed: archiving (or deleting) them would
    // lose them unloaded. They stay for the watcher, which sees the changed identity.
    spdlog::warn("{}: changed since it was loaded (file id {}); left in imports/ as new content",
                 name.string(), outcome.file_id);
    return outcome.path;
  }
  if (outcome.status == LoadStatus::kLoaded || outcome.status == LoadStatus::kDuplicate) {
    if (options.delete_loaded) {
      fs::remove(outcome.path);
      return {};
    }
    return move_without_overwrite(outcome.path,
                                  imports_folder(options, fs::path(".processed") / today()));
  }
  const auto failed = imports_folder(options, ".failed");
  const auto moved = move_without_overwrite(outcome.path, failed);
  write_error_report(failed, moved, outcome);
  return moved;
}

fs::path quarantine_file(const fs::path& path, const std::string& reason,
                         const MoveOptions& options) {
  LoadOutcome outcome;
  outcome.path = path;
  outcome.status = LoadStatus::kQuarantined;
  outcome.error = reason;
  const auto failed = imports_folder(options, ".failed");
  const auto moved = move_without_overwrite(path, failed);
  write_error_report(failed, moved, outcome);
  return moved;
}

fs::path export_rejects(db::LibpqConnection& connection, const LoadOutcome& outcome,
                        const MoveOptions& options) {
  PGconn* conn = connection.native_handle();
  // The file id is a number we produced; it is still sent as a parameter-free literal because
  // COPY accepts no parameters, so it is formatted from an integer, never from text.
  const auto sql = fmt::format(
      "COPY (SELECT line, byte_offset, column_name, value, reason, message, raw_line "
      "FROM ingest.rejects WHERE file_id = {} ORDER BY line) TO STDOUT (FORMAT csv, HEADER)",
      outcome.file_id);
  PGresult* started = PQexec(conn, sql.c_str());
  if (PQresultStatus(started) != PGRES_COPY_OUT) {
    auto error = connection.make_error(started);
    PQclear(started);
    throw error;
  }
  PQclear(started);
  const auto folder =
      files::SafeDirectory::open_configured(options.exports_dir, options.modes).child("rejects");
  files::AtomicFileWriter writer(folder, outcome.path.filename().string() + ".rejects.csv");
  char* chunk = nullptr;
  int length = 0;
  while ((length = PQgetCopyData(conn, &chunk, 0)) > 0) {
    writer.append(std::string_view(chunk, static_cast<std::size_t>(length)));
    PQfreemem(chunk);
  }
  PGresult* finished = PQgetResult(conn);
  const bool ok = PQresultStatus(finished) == PGRES_COMMAND_OK;
  auto error = ok ? db::PgError("", "", false) : connection.make_error(finished);
  PQclear(finished);
  while (PGresult* rest = PQgetResult(conn)) {
    PQclear(rest);
  }
  if (!ok) {
    throw error;
  }
  return writer.commit_without_overwrite();
}

}  // namespace dp::ingest
