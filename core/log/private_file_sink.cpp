#include "core/log/private_file_sink.hpp"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "core/fs/atomic_file_writer.hpp"

namespace dp::log {

PrivateFileSink::PrivateFileSink(files::SafeDirectory folder, std::string name,
                                 std::size_t max_bytes, std::size_t max_files)
    : folder_(std::move(folder)),
      name_(std::move(name)),
      max_bytes_(max_bytes),
      max_files_(max_files),
      fd_(files::open_private_for_append(folder_, name_)) {
  struct stat info {};
  if (::fstat(fd_, &info) == 0) {
    size_ = static_cast<std::size_t>(info.st_size);
  }
}

PrivateFileSink::~PrivateFileSink() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

std::string PrivateFileSink::rotated_name(std::size_t index) const {
  const auto dot = name_.rfind('.');
  if (dot == std::string::npos || dot == 0) {
    return name_ + "." + std::to_string(index);
  }
  return name_.substr(0, dot) + "." + std::to_string(index) + name_.substr(dot);
}

void PrivateFileSink::rotate() {
  ::close(fd_);
  fd_ = -1;
  if (max_files_ == 0) {
    ::unlinkat(folder_.fd(), name_.c_str(), 0);
  }
  // Renames inside the service's own logs folder replace only older rotated copies, by
  // directory entry: nothing is followed, and the fresh file is created exclusively below.
  for (std::size_t index = max_files_; index >= 1; --index) {
    const auto from = index == 1 ? name_ : rotated_name(index - 1);
    ::renameat(folder_.fd(), from.c_str(), folder_.fd(), rotated_name(index).c_str());
  }
  fd_ = files::open_private_for_append(folder_, name_);
  size_ = 0;
}

void PrivateFileSink::sink_it_(const spdlog::details::log_msg& message) {
  spdlog::memory_buf_t formatted;
  formatter_->format(message, formatted);
  if (size_ > 0 && size_ + formatted.size() > max_bytes_) {
    rotate();
  }
  std::size_t written = 0;
  while (written < formatted.size()) {
    const auto n = ::write(fd_, formatted.data() + written, formatted.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return;  // A full disk must not stop loading; the console sink still has the line.
    }
    written += static_cast<std::size_t>(n);
  }
  size_ += written;
}

}  // namespace dp::log
