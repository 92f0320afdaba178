#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/csv/input_source.hpp"
#include "core/watch/file_stat.hpp"

namespace dp::ingest {

/// The path names something that is not a regular file (a FIFO, a device, a directory, a
/// symlink met at open): it is quarantined with this reason, never read.
struct NotRegularFile : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One load's file, opened once: the hash, the header sniff and the rows are all read from this
/// one descriptor, so what is hashed is what is loaded even when the path is renamed over or
/// appended to meanwhile. Its identity (device, inode, size, mtime, ctime) is taken by fstat at
/// open and compared again before the commit.
class OpenedFile {
 public:
  /// Opens with O_NOFOLLOW | O_NONBLOCK (a FIFO swapped in never blocks a worker) and checks by
  /// fstat that it is a regular file. Throws NotRegularFile, or FileUnavailable when it may not
  /// be read now (permission denied, gone).
  explicit OpenedFile(const std::filesystem::path& path);
  ~OpenedFile();
  OpenedFile(const OpenedFile&) = delete;
  OpenedFile& operator=(const OpenedFile&) = delete;

  /// The identity at open: recorded in the outcome, compared by the mover.
  const watch::FileStat& identity() const noexcept { return identity_; }
  /// Whether the open file differs now from its identity at open (appended, rewritten).
  bool changed() const;
  /// SHA-256 of the file's bytes; throws LoadCancelled when `cancel` is set meanwhile.
  std::string sha256(const std::atomic<bool>* cancel) const;
  /// A fresh plain or gzip source over the file from its first byte (own read position).
  std::unique_ptr<csv::ByteSource> input() const;
  /// A plain source over bytes [begin, end) only, for one part of a parallel load (a gzip file
  /// cannot be read from the middle: the caller checks is_gzip first).
  std::unique_ptr<csv::ByteSource> part(std::uint64_t begin, std::uint64_t end) const;
  /// Whether the file is gzip-compressed (by its first bytes).
  bool is_gzip() const;
  /// The descriptor, for reads at chosen offsets (splitting); stays owned by this object.
  int descriptor() const noexcept { return fd_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  watch::FileStat identity_;
};

}  // namespace dp::ingest
