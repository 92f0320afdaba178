#include "core/watch/open_writer_probe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

#include <spdlog/spdlog.h>

namespace dp::watch {
namespace {

/// Taking a lease makes this process the lease owner: if a writer opens the file in the few
/// microseconds before we release it, the kernel sends SIGIO, whose default action ends the
/// process. Nothing in the service uses SIGIO, so ignore it once when nobody has claimed it.
void ignore_sigio_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGIO, nullptr, &current) == 0 && current.sa_handler == SIG_DFL &&
        (current.sa_flags & SA_SIGINFO) == 0) {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      sigemptyset(&ignore.sa_mask);
      sigaction(SIGIO, &ignore, nullptr);
    }
  });
}

/// Closes the descriptor on every path out of the probe.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

}  // namespace

WriterState probe_open_writer(const std::filesystem::path& file) {
  ignore_sigio_once();
  // O_NONBLOCK: if someone else holds a write lease, fail instead of waiting for its break.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    spdlog::debug("writer probe: cannot open {}: {}", file.string(), std::strerror(errno));
    return WriterState::kUnknown;
  }
  FdCloser closer(fd);
  if (::fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
    ::fcntl(fd, F_SETLEASE, F_UNLCK);
    return WriterState::kNoWriter;
  }
  const int error = errno;
  if (error == EAGAIN) {
    return WriterState::kWriterOpen;
  }
  // EACCES/EPERM: neither owner nor CAP_LEASE; EINVAL: not a regular file or no lease support.
  spdlog::debug("writer probe: no lease on {}: {}", file.string(), std::strerror(error));
  return WriterState::kUnknown;
}

const char* to_string(WriterState state) {
  switch (state) {
    case WriterState::kNoWriter:
      return "no writer";
    case WriterState::kWriterOpen:
      return "writer open";
    case WriterState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace dp::watch
