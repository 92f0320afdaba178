#include "core/csv/input_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/csv/gzip_source.hpp"

namespace dp::csv {

namespace {

std::string errno_text(const char* action) {
  return std::string(action) + ": " + std::strerror(errno);
}

}  // namespace

InputError::InputError(const std::string& path, const std::string& what)
    : std::runtime_error(path + ": " + what), path_(path) {}

FileSource::FileSource(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw InputError(path_, errno_text("cannot open"));
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const std::string message = errno_text("cannot stat");
    ::close(fd_);
    throw InputError(path_, message);
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd_);
    throw InputError(path_, "cannot read: is a directory");
  }
  size_ = static_cast<std::uint64_t>(info.st_size);
  // Advice only: a failure here changes nothing we rely on.
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

FileSource::FileSource(int fd, std::string path) : path_(std::move(path)), fd_(fd) {
  positional_ = true;
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const std::string message = errno_text("cannot stat");
    ::close(fd_);
    fd_ = -1;
    throw InputError(path_, message);
  }
  size_ = static_cast<std::uint64_t>(info.st_size);
}

FileSource::~FileSource() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

FileSource::FileSource(int fd, std::string path, std::uint64_t begin, std::uint64_t end)
    : FileSource(fd, std::move(path)) {
  begin_ = std::min(begin, size_);
  size_ = std::min(end, size_) - std::min(begin_, std::min(end, size_));
  bounded_ = true;
}

std::size_t FileSource::read(char* out, std::size_t max_bytes) {
  if (bounded_) {
    max_bytes = static_cast<std::size_t>(std::min<std::uint64_t>(max_bytes, size_ - consumed_));
    if (max_bytes == 0) {
      return 0;
    }
  }
  for (;;) {
    const ssize_t got = positional_
                            ? ::pread(fd_, out, max_bytes, static_cast<off_t>(begin_ + consumed_))
                            : ::read(fd_, out, max_bytes);
    if (got >= 0) {
      consumed_ += static_cast<std::uint64_t>(got);
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) {
      throw InputError(path_, errno_text("cannot read"));
    }
  }
}

bool FileSource::starts_with_gzip_magic() const {
  unsigned char magic[2] = {0, 0};
  ssize_t got = 0;
  do {
    got = ::pread(fd_, magic, sizeof magic, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    throw InputError(path_, errno_text("cannot read"));
  }
  return got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

std::size_t MemorySource::read(char* out, std::size_t max_bytes) {
  const std::size_t count = std::min(max_bytes, bytes_.size() - position_);
  std::memcpy(out, bytes_.data() + position_, count);
  position_ += count;
  return count;
}

std::unique_ptr<ByteSource> open_input(const std::string& path) {
  return open_input(std::make_unique<FileSource>(path));
}

std::unique_ptr<ByteSource> open_input(std::unique_ptr<FileSource> file) {
  if (file->starts_with_gzip_magic()) {
    return std::make_unique<GzipSource>(std::move(file));
  }
  return file;
}

}  // namespace dp::csv
