#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dp::watch {

/// One `struct inotify_event` record, copied out of the packed read buffer.
struct RawInotifyEvent {
  int wd = -1;
  std::uint32_t mask = 0;
  std::uint32_t cookie = 0;
  /// The entry name inside the watched folder, without the kernel's NUL padding; empty for
  /// events about the folder itself and for IN_Q_OVERFLOW.
  std::string name;
};

/// Splits the byte stream read from an inotify descriptor into records. The kernel returns whole
/// records per read, but the parser does not rely on it: a record cut by a read boundary is kept
/// until the rest arrives, and records are copied out rather than cast in place (alignment).
class InotifyEventParser {
 public:
  /// Consumes the bytes of one read and returns every record they complete, in order.
  std::vector<RawInotifyEvent> feed(std::span<const char> bytes);
  /// Bytes of an incomplete record still waiting for the next read.
  std::size_t buffered_bytes() const { return pending_.size(); }

 private:
  std::vector<char> pending_;
};

}  // namespace dp::watch
