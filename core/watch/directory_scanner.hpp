#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/watch/file_stat.hpp"

namespace dp::watch {

/// The kind of a folder entry as lstat sees it; only regular files are ever ingested.
enum class EntryType { kRegular, kSymlink, kDirectory, kFifo, kSocket, kDevice, kUnknown };

/// A regular file found directly in the folder.
struct ScannedFile {
  std::string name;
  FileStat stat;
};

/// An entry that is neither a regular file nor a symlink: logged and left alone.
struct OtherEntry {
  std::string name;
  EntryType type = EntryType::kUnknown;
};

/// One pass over the folder: the truth that inotify only hints at.
struct DirectoryListing {
  std::vector<ScannedFile> files;
  /// Symlinks are reported apart because the engine quarantines them with a reason.
  std::vector<std::string> symlinks;
  std::vector<OtherEntry> others;
};

/// lstat of a single entry, used to classify a name an inotify event announced.
struct EntryInfo {
  EntryType type = EntryType::kUnknown;
  FileStat stat;
};

/// Lists the entries directly in `dir` (no recursion, symlinks never followed, "." and ".."
/// skipped, entries that vanish mid-scan dropped); throws std::system_error when the folder
/// itself cannot be read.
DirectoryListing scan_directory(const std::filesystem::path& dir);

/// lstat of one path; nullopt when it no longer exists (or cannot be examined, which is logged).
std::optional<EntryInfo> lstat_entry(const std::filesystem::path& path);

/// "regular file", "symlink", "directory", ... for logs and ignore reasons.
const char* to_string(EntryType type);

}  // namespace dp::watch
