#include "core/watch/fingerprint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/util/sha256.hpp"

namespace dp::watch {
namespace {

constexpr std::size_t kReadSize = 1024 * 1024;

/// Closes the descriptor on every path out of the hash.
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

std::optional<std::string> fingerprint_descriptor(int fd, const std::atomic<bool>* cancel) {
  util::Sha256 hash;
  std::vector<char> buffer(kReadSize);
  off_t offset = 0;
  for (;;) {
    if (cancel != nullptr && cancel->load()) {
      return std::nullopt;
    }
    const ssize_t got = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw std::system_error(errno, std::generic_category(), "cannot read");
    }
    if (got == 0) {
      break;
    }
    offset += got;
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  return hash.hex_digest();
}

std::string fingerprint_file(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot open " + file.string());
  }
  FdCloser closer(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  util::Sha256 hash;
  std::vector<char> buffer(kReadSize);
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw std::system_error(errno, std::generic_category(), "cannot read " + file.string());
    }
    if (got == 0) {
      break;
    }
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  return hash.hex_digest();
}

}  // namespace dp::watch
