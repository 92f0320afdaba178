#pragma once

#include <cstdint>

namespace dp::watch {

/// What a scan learns about a file: a file is quiet while this stays equal, and a different
/// inode under the same name is a different file.
struct FileStat {
  std::uint64_t size = 0;
  /// Modification time in nanoseconds since the epoch.
  std::int64_t mtime_ns = 0;
  std::uint64_t device = 0;
  std::uint64_t inode = 0;

  bool operator==(const FileStat&) const = default;
};

}  // namespace dp::watch
