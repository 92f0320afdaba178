#include "core/watch/inotify_event_parser.hpp"

#include <sys/inotify.h>

#include <algorithm>
#include <cstring>

namespace dp::watch {

std::vector<RawInotifyEvent> InotifyEventParser::feed(std::span<const char> bytes) {
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
  std::vector<RawInotifyEvent> events;
  constexpr std::size_t kHeaderSize = sizeof(inotify_event);
  std::size_t offset = 0;
  while (pending_.size() - offset >= kHeaderSize) {
    inotify_event header{};
    std::memcpy(&header, pending_.data() + offset, kHeaderSize);
    const std::size_t record_size = kHeaderSize + header.len;
    if (pending_.size() - offset < record_size) {
      break;
    }
    RawInotifyEvent event;
    event.wd = header.wd;
    event.mask = header.mask;
    event.cookie = header.cookie;
    const char* name = pending_.data() + offset + kHeaderSize;
    // The name is NUL-terminated and padded with further NULs up to `len`.
    event.name.assign(name, std::find(name, name + header.len, '\0'));
    events.push_back(std::move(event));
    offset += record_size;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(offset));
  return events;
}

}  // namespace dp::watch
