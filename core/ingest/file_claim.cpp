#include "core/ingest/file_claim.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/csv/utf8.hpp"

namespace dp::ingest {
namespace {

/// The lock key: a 64-bit hash computed by the server, so that every replica agrees on it, with
/// a prefix that keeps it apart from the warehouse's and the content locks' keys.
constexpr const char* kTryClaim =
    "SELECT pg_try_advisory_lock(hashtextextended('dataprocessor file claim ' || $1, 0))";
constexpr const char* kRelease =
    "SELECT pg_advisory_unlock(hashtextextended('dataprocessor file claim ' || $1, 0)), "
    "set_config('dp.file_identity', '', false)";
constexpr const char* kNameIdentity = "SELECT set_config('dp.file_identity', $1, false)";
/// Outcomes that end a file's story in imports/; 'loading' rows are rolled back or in flight.
constexpr const char* kCommitted =
    "SELECT file_id, status, coalesce(pipeline, ''), sha256, size_bytes, coalesce(error, ''), "
    "coalesce(duplicate_of, 0) FROM ingest.files WHERE file_identity = $1 "
    "AND status IN ('loaded', 'duplicate', 'failed') ORDER BY file_id DESC LIMIT 1";

LoadStatus status_from(std::string_view text) {
  if (text == "loaded") {
    return LoadStatus::kLoaded;
  }
  if (text == "duplicate") {
    return LoadStatus::kDuplicate;
  }
  return LoadStatus::kFailed;
}

}  // namespace

std::string shared_file_identity(const std::filesystem::path& path, const watch::FileStat& stat) {
  return fmt::format("{}/{}/{}/{}/{}", csv::escape_invalid_utf8(path.filename().string()),
                     stat.inode, stat.size, stat.mtime_ns, stat.ctime_ns);
}

FileClaim::FileClaim(std::unique_ptr<db::LibpqConnection>& connection,
                     const std::filesystem::path& path)
    : slot_(connection),
      connection_(connection.get()),
      path_(path),
      stat_(watch::lstat_file(path)) {
  if (!stat_) {
    return;
  }
  identity_ = shared_file_identity(path, *stat_);
  held_ = connection_->exec_params(kTryClaim, {identity_}).get(0, 0) == "t";
  if (held_) {
    connection_->exec_params(kNameIdentity, {identity_});
  }
}

db::LibpqConnection* FileClaim::session() const {
  return slot_.get() == connection_ && connection_->is_open() ? connection_ : nullptr;
}

FileClaim::~FileClaim() {
  if (!held_) {
    return;
  }
  try {
    if (auto* connection = session(); connection != nullptr && !connection->in_transaction()) {
      connection->exec_params(kRelease, {identity_});
    }
  } catch (const std::exception& error) {
    spdlog::debug(
        "claim on {} not released explicitly ({}); the server releases it with the "
        "session",
        path_.filename().string(), error.what());
  }
}

bool FileClaim::covers(const watch::FileStat& opened) const {
  return stat_ && stat_->inode == opened.inode && stat_->size == opened.size &&
         stat_->mtime_ns == opened.mtime_ns && stat_->ctime_ns == opened.ctime_ns;
}

std::optional<LoadOutcome> FileClaim::committed_outcome() const {
  auto* connection = session();
  if (!held_ || connection == nullptr) {
    return std::nullopt;
  }
  const auto rows = connection->exec_params(kCommitted, {identity_});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  LoadOutcome outcome;
  outcome.path = path_;
  outcome.file_id = std::stoll(std::string(rows.get(0, 0)));
  outcome.status = status_from(rows.get(0, 1));
  outcome.pipeline = std::string(rows.get(0, 2));
  outcome.sha256 = std::string(rows.get(0, 3));
  outcome.size_bytes = std::stoull(std::string(rows.get(0, 4)));
  outcome.error = std::string(rows.get(0, 5));
  outcome.duplicate_of = std::stoll(std::string(rows.get(0, 6)));
  outcome.identity = stat_;
  return outcome;
}

}  // namespace dp::ingest
