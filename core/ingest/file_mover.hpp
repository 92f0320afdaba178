#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/ingest/load_types.hpp"

namespace dp::ingest {

/// Where a file goes once its outcome is committed.
struct MoveOptions {
  std::filesystem::path imports_dir;
  std::filesystem::path exports_dir;
  /// after_load = delete: loaded and duplicate files are removed instead of archived.
  bool delete_loaded = false;
};

/// Renames `from` to `to` without ever replacing an existing file: when `to` exists, `NAME-1.ext`,
/// `NAME-2.ext`, ... are tried. Returns the path used.
std::filesystem::path move_without_overwrite(const std::filesystem::path& from,
                                             const std::filesystem::path& to);

/// Writes a file through a temporary name, fsync and rename, so a reader never sees half a file
/// and a crash never leaves one; content may arrive in pieces (streamed exports).
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path path);
  /// Removes the temporary file unless commit() ran; never throws.
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void append(std::string_view bytes);
  /// Flushes, fsyncs and renames into place.
  void commit();
  /// Like commit(), but never replaces an existing file: takes NAME-1, NAME-2, ... instead and
  /// returns the name it took.
  std::filesystem::path commit_without_overwrite();

 private:
  /// Makes the written bytes durable and closes the temporary file, before either rename.
  void sync_and_close();

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
};

/// Writes `content` to `path` atomically (see AtomicFileWriter).
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Moves a file out of imports/ after its outcome was committed (never before): loaded and
/// duplicate files to `.processed/YYYY-MM-DD/` (or deletes them), failed and quarantined ones to
/// `.failed/` with `NAME.error.txt` beside them. Returns where the file went (empty if deleted;
/// the path itself when the file changed since it was hashed and was therefore left in place).
std::filesystem::path settle_file(const LoadOutcome& outcome, const MoveOptions& options);

/// Quarantines a file that must not be read at all (a symlink, say) with its reason.
std::filesystem::path quarantine_file(const std::filesystem::path& path, const std::string& reason,
                                      const MoveOptions& options);

/// Writes every reject of a loaded file to `exports/rejects/NAME.rejects.csv` (RFC 4180, with a
/// header) straight from ingest.rejects; a second file of the same name gets NAME-1.rejects.csv.
std::filesystem::path export_rejects(db::LibpqConnection& connection, const LoadOutcome& outcome,
                                     const MoveOptions& options);

/// The text of NAME.error.txt: what happened and the first rejects.
std::string error_report(const LoadOutcome& outcome);

}  // namespace dp::ingest
