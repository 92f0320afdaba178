#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace dp::ingest {

/// Which file object a name pointed at, and its size and modification time: the mover compares
/// it with the moment the file was hashed, so content that replaced the file after its load
/// (a writer renaming a new version over it) is never archived unloaded.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;

  /// Same file object with the same size and modification time.
  bool operator==(const FileIdentity&) const = default;
};

/// The identity of the file at `path` (not following a symlink); nullopt when it is gone.
std::optional<FileIdentity> identity_of(const std::filesystem::path& path);

}  // namespace dp::ingest
