#pragma once

#include <filesystem>

namespace dp::watch {

/// Whether some process still holds a file open for writing; a scan sees only size and mtime,
/// so a writer that pauses with the file open looks finished without this.
enum class WriterState {
  /// No process has the file open for writing (the kernel granted a read lease).
  kNoWriter,
  /// At least one process has it open for writing: the file is not complete.
  kWriterOpen,
  /// The kernel would not say (not the owner and no CAP_LEASE, not a regular file, a file system
  /// without leases, the file vanished): rely on the quiet period alone.
  kUnknown,
};

/// Best-effort writer check through a read lease (`F_SETLEASE F_RDLCK` fails with EAGAIN while
/// any writer has the file open); the lease is released at once. Never follows a symlink.
WriterState probe_open_writer(const std::filesystem::path& file);

/// A short word for logs: "no writer", "writer open", "unknown".
const char* to_string(WriterState state);

}  // namespace dp::watch
