#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "core/db/libpq_connection.hpp"
#include "core/fs/atomic_file_writer.hpp"
#include "core/fs/safe_directory.hpp"
#include "core/ingest/load_types.hpp"

namespace dp::ingest {

/// Where a file goes once its outcome is committed.
struct MoveOptions {
  std::filesystem::path imports_dir;
  std::filesystem::path exports_dir;
  /// after_load = delete: loaded and duplicate files are removed instead of archived.
  bool delete_loaded = false;
  /// Modes of the folders and files created (.processed/, .failed/, reports, rejects).
  files::OutputModes modes;
};

/// Moves `from` (a file in a folder the operator configured, such as imports/) into the
/// service-owned folder `to_dir` without ever replacing an existing file: when its name is
/// taken, `NAME-1.ext`, `NAME-2.ext`, ... are tried. Returns the path used.
std::filesystem::path move_without_overwrite(const std::filesystem::path& from,
                                             const files::SafeDirectory& to_dir);

/// Moves a file out of imports/ after its outcome was committed (never before): loaded and
/// duplicate files to `.processed/YYYY-MM-DD/` (or deletes them), failed and quarantined ones to
/// `.failed/` with `NAME.error.txt` beside them (`NAME.error-1.txt` when that name is taken).
/// The folders are verified to be the service's own: a planted link is refused
/// (files::UnsafePathError), never followed. Returns where the file went (empty if deleted;
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
