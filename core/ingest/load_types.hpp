#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/csv/row_error.hpp"
#include "core/pipeline/pipeline.hpp"
#include "core/watch/file_stat.hpp"

namespace dp::ingest {

/// What to do with a file that has bad rows.
enum class OnRowError {
  /// Load the good rows, reject the bad ones (up to max_reject_ratio).
  kContinue,
  /// Any bad row fails the whole file.
  kSkipFile,
};

/// Progress of one load, reported every few seconds for large files.
struct LoadProgress {
  std::string file_name;
  std::uint64_t rows = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_total = 0;
  double seconds = 0;
};

/// How one file is loaded; built from the settings, so the loader itself reads no settings.
struct LoadOptions {
  std::string staging_schema = "staging";
  OnRowError on_error = OnRowError::kContinue;
  /// Above this share of rejected rows the file fails as a whole and nothing of it is loaded.
  double max_reject_ratio = 0.1;
  /// Past this many rejects the file fails at once: bounds the reject spool and the time spent
  /// on a file that is bad throughout.
  std::uint64_t max_rejects = 10000;
  pipeline::ExtraColumns extra_columns = pipeline::ExtraColumns::kIgnore;
  std::size_t max_record_bytes = 16 * 1024 * 1024;
  /// Read only the first N data rows (trying a new feed); nullopt reads all.
  std::optional<std::uint64_t> row_limit;
  /// --check: do everything except commit.
  bool dry_run = false;
  /// Called every `progress_interval` while a file loads.
  std::function<void(const LoadProgress&)> on_progress;
  std::chrono::milliseconds progress_interval{std::chrono::seconds(3)};
  /// Set from another thread to abandon the load (shutdown): the transaction rolls back.
  const std::atomic<bool>* cancel = nullptr;
  /// A plain file of at least this many bytes is cut at record boundaries and its parts are
  /// copied side by side over `parallel_copy_streams` connections (one COPY keeps one server
  /// core busy); smaller files, gzip files, --check and --limit use one stream.
  std::uint64_t parallel_copy_min_bytes = 64 * 1024 * 1024;
  std::size_t parallel_copy_streams = 2;
  /// Where the extra connections of a parallel load connect; empty means one stream.
  std::string conninfo;
};

/// How a file's load ended.
enum class LoadStatus {
  kLoaded,
  /// The same content was loaded before; nothing new was written to staging.
  kDuplicate,
  /// The file was read but could not be loaded (too many rejects, missing column, ...).
  kFailed,
  /// No kind (or more than one) claims the file.
  kQuarantined,
};

/// Stable lower-case name of a status for logs, metrics and --status.
const char* to_string(LoadStatus status);

/// The result of one unit of work, committed (or, for --check, what would have been).
struct LoadOutcome {
  LoadStatus status = LoadStatus::kFailed;
  std::filesystem::path path;
  std::string pipeline;
  std::int64_t file_id = 0;
  std::int64_t duplicate_of = 0;
  std::string sha256;
  std::uint64_t size_bytes = 0;
  std::uint64_t rows_loaded = 0;
  std::uint64_t rows_rejected = 0;
  /// Why the file failed or was quarantined; empty otherwise.
  std::string error;
  /// The first rejects (at most kKeptRejects), for the error report and --check.
  std::vector<csv::RowError> first_rejects;
  std::vector<std::string> warnings;
  /// COPY streams that loaded the rows: above 1 when the file was cut into parts.
  std::size_t copy_streams = 1;
  double seconds = 0;
  /// The file as it was when it was hashed; settle_file leaves it in place if it changed since.
  std::optional<watch::FileStat> identity;
};

/// How many rejects an outcome keeps in memory; all of them go to the database.
inline constexpr std::size_t kKeptRejects = 20;

/// Raised when a load is abandoned because the service is stopping; the transaction was rolled
/// back and the file stays where it is for the next start.
struct LoadCancelled : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The file cannot be opened or read now for a reason outside it (permission denied, a file
/// being replaced): it stays in imports/, visibly waiting, and is tried again.
class FileUnavailable : public std::runtime_error {
 public:
  /// `cause` is a short stable label for metrics (`unreadable`, `changed_while_loading`).
  FileUnavailable(std::string cause, const std::string& message)
      : std::runtime_error(message), cause_(std::move(cause)) {}
  const std::string& cause() const noexcept { return cause_; }

 private:
  std::string cause_;
};

/// A database problem that a later attempt may not have (server down, connection lost): the
/// file stays where it is and is tried again.
struct RetryLater : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace dp::ingest
