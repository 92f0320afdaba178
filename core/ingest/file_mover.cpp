#include "core/ingest/file_mover.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <system_error>

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

fs::path numbered(const fs::path& path, int number) {
  // Keep `.csv.gz` together: name-1.csv.gz rather than name.csv-1.gz.
  const auto name = path.filename().string();
  const auto dot = name.find('.', 1);
  const auto stem = dot == std::string::npos ? name : name.substr(0, dot);
  const auto extension = dot == std::string::npos ? std::string() : name.substr(dot);
  return path.parent_path() / (stem + "-" + std::to_string(number) + extension);
}

void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

fs::path move_without_overwrite(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  for (int attempt = 0; attempt < 10000; ++attempt) {
    const auto target = attempt == 0 ? to : numbered(to, attempt);
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
      return target;
    }
    if (errno != EEXIST) {
      throw std::system_error(errno, std::generic_category(),
                              "cannot move " + from.string() + " to " + target.string());
    }
  }
  throw std::runtime_error("no free name for " + to.string());
}

AtomicFileWriter::AtomicFileWriter(fs::path path) : path_(std::move(path)) {
  fs::create_directories(path_.parent_path());
  temporary_ = path_;
  temporary_ += ".tmp-" + std::to_string(::getpid());
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot write " + temporary_.string());
  }
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    std::error_code ignored;
    fs::remove(temporary_, ignored);
  }
}

void AtomicFileWriter::append(std::string_view bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const auto n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw std::system_error(errno, std::generic_category(), "cannot write " + path_.string());
    }
    written += static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::sync_and_close() {
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    throw std::system_error(errno, std::generic_category(), "cannot write " + path_.string());
  }
  fd_ = -1;
}

void AtomicFileWriter::commit() {
  sync_and_close();
  fs::rename(temporary_, path_);
  sync_folder(path_.parent_path());
}

fs::path AtomicFileWriter::commit_without_overwrite() {
  sync_and_close();
  path_ = move_without_overwrite(temporary_, path_);
  sync_folder(path_.parent_path());
  return path_;
}

void write_file_atomically(const fs::path& path, std::string_view content) {
  AtomicFileWriter writer(path);
  writer.append(content);
  writer.commit();
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
                                  options.imports_dir / ".processed" / today() / name);
  }
  const auto moved = move_without_overwrite(outcome.path, options.imports_dir / ".failed" / name);
  write_file_atomically(moved.string() + ".error.txt", error_report(outcome));
  return moved;
}

fs::path quarantine_file(const fs::path& path, const std::string& reason,
                         const MoveOptions& options) {
  LoadOutcome outcome;
  outcome.path = path;
  outcome.status = LoadStatus::kQuarantined;
  outcome.error = reason;
  const auto moved =
      move_without_overwrite(path, options.imports_dir / ".failed" / path.filename());
  write_file_atomically(moved.string() + ".error.txt", error_report(outcome));
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
  const auto path =
      options.exports_dir / "rejects" / (outcome.path.filename().string() + ".rejects.csv");
  AtomicFileWriter writer(path);
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
