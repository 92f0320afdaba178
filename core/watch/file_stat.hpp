#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>

namespace dp::watch {

/// What a scan learns about a file: a file is quiet while this stays equal, and a different
/// inode under the same name is a different file. The mover compares it too, so a file replaced
/// after it was hashed is never archived unloaded.
struct FileStat {
  std::uint64_t size = 0;
  /// Modification time in nanoseconds since the epoch.
  std::int64_t mtime_ns = 0;
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  /// Status-change time in nanoseconds: a file rewritten in place with its old size and mtime
  /// restored (`touch -r`) still differs here.
  std::int64_t ctime_ns = 0;

  bool operator==(const FileStat&) const = default;
};

/// The FileStat part of a stat(2) result.
FileStat file_stat_of(const struct stat& st);

/// The FileStat of `path` without following a symlink; nullopt when it is gone or unreadable.
std::optional<FileStat> lstat_file(const std::filesystem::path& path);

}  // namespace dp::watch
