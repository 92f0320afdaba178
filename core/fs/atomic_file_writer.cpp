#include "core/fs/atomic_file_writer.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace dp::files {
namespace {

constexpr int kCreateFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;

std::uint64_t random_64() {
  std::uint64_t value = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(&value);
  std::size_t filled = 0;
  while (filled < sizeof value) {
    const auto n = ::getrandom(bytes + filled, sizeof value - filled, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    filled += static_cast<std::size_t>(n);
  }
  return value;
}

}  // namespace

std::string temporary_name_for(const std::string& name) {
  return fmt::format(".{}.tmp-{:016x}", name, random_64());
}

AtomicFileWriter::AtomicFileWriter(const SafeDirectory& folder, std::string name)
    : folder_(folder.duplicate()), name_(std::move(name)) {
  for (int attempt = 0; fd_ < 0; ++attempt) {
    temporary_ = temporary_name_for(name_);
    fd_ = ::openat(folder_.fd(), temporary_.c_str(), kCreateFlags, folder_.modes().file);
    if (fd_ < 0 && (errno != EEXIST || attempt >= 8)) {
      const auto path = folder_.path() / temporary_;
      if (errno == EEXIST || errno == ELOOP) {
        spdlog::error("{} already exists (a planted file or link?); refused", path.string());
      }
      throw std::system_error(errno, std::generic_category(), "cannot create " + path.string());
    }
  }
  // openat's mode passed through the umask; the configured one is applied exactly.
  ::fchmod(fd_, folder_.modes().file);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  if (!committed_) {
    ::unlinkat(folder_.fd(), temporary_.c_str(), 0);
  }
}

void AtomicFileWriter::append(std::string_view bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const auto n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw std::system_error(errno, std::generic_category(),
                              "cannot write " + (folder_.path() / name_).string());
    }
    written += static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::sync_and_close() {
  const bool ok = ::fsync(fd_) == 0;
  const int sync_errno = errno;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!ok || !closed) {
    throw std::system_error(ok ? errno : sync_errno, std::generic_category(),
                            "cannot write " + (folder_.path() / name_).string());
  }
}

std::filesystem::path AtomicFileWriter::commit() {
  sync_and_close();
  if (::renameat(folder_.fd(), temporary_.c_str(), folder_.fd(), name_.c_str()) != 0) {
    throw std::system_error(errno, std::generic_category(),
                            "cannot rename into " + (folder_.path() / name_).string());
  }
  committed_ = true;
  folder_.sync();
  return folder_.path() / name_;
}

std::filesystem::path AtomicFileWriter::commit_without_overwrite(std::string_view suffix) {
  sync_and_close();
  name_ = rename_without_replacing(folder_, temporary_, folder_, name_, suffix);
  committed_ = true;
  folder_.sync();
  return folder_.path() / name_;
}

int open_private_for_append(const SafeDirectory& folder, const std::string& name) {
  const auto path = folder.path() / name;
  int fd = ::openat(folder.fd(), name.c_str(), kCreateFlags, folder.modes().file);
  if (fd >= 0) {
    ::fchmod(fd, folder.modes().file);
    return fd;
  }
  if (errno != EEXIST) {
    throw std::system_error(errno, std::generic_category(), "cannot create " + path.string());
  }
  // O_NONBLOCK: a planted FIFO must not hang the service; it is refused below like a link.
  fd = ::openat(folder.fd(), name.c_str(),
                O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) {
      spdlog::error("{} is a symbolic link; refused, nothing written there", path.string());
      throw UnsafePathError(path.string() + " is a symbolic link; refused");
    }
    throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_uid != ::geteuid()) {
    ::close(fd);
    const auto message =
        fmt::format("{} is not a regular file owned by this service; refused", path.string());
    spdlog::error("{}", message);
    throw UnsafePathError(message);
  }
  ::fcntl(fd, F_SETFL, O_WRONLY | O_APPEND);
  return fd;
}

}  // namespace dp::files
