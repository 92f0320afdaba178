#include "core/ingest/opened_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/csv/utf8.hpp"
#include "core/ingest/load_types.hpp"
#include "core/watch/fingerprint.hpp"

namespace dp::ingest {
namespace {

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) {
    return "a FIFO";
  }
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "a device";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  if (S_ISLNK(mode)) {
    return "a symbolic link";
  }
  return "not a regular file";
}

}  // namespace

OpenedFile::OpenedFile(const std::filesystem::path& path) : path_(path) {
  const auto name = csv::escape_invalid_utf8(path.filename().string());
  fd_ = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) {
    const int error = errno;
    if (error == ELOOP) {
      throw NotRegularFile(name + " is a symbolic link; links are not followed, copy the file");
    }
    const char* cause = error == ENOENT ? "gone" : "unreadable";
    throw FileUnavailable(cause, "cannot open " + name + ": " + std::strerror(error));
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const int error = errno;
    ::close(fd_);
    throw FileUnavailable("unreadable", "cannot stat " + name + ": " + std::strerror(error));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd_);
    throw NotRegularFile(name + " is " + kind_of(info.st_mode) +
                         ", not a regular file; only regular files are loaded");
  }
  identity_ = watch::file_stat_of(info);
  // Advice only: a failure here changes nothing we rely on.
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

OpenedFile::~OpenedFile() {
  ::close(fd_);
}

bool OpenedFile::changed() const {
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    return true;
  }
  return watch::file_stat_of(info) != identity_;
}

std::string OpenedFile::sha256(const std::atomic<bool>* cancel) const {
  try {
    auto digest = watch::fingerprint_descriptor(fd_, cancel);
    if (!digest) {
      throw LoadCancelled("hashing " + csv::escape_invalid_utf8(path_.filename().string()) +
                          " cancelled by shutdown");
    }
    return *digest;
  } catch (const std::system_error& error) {
    throw csv::InputError(path_.string(), error.what());
  }
}

namespace {

int duplicate(int fd, const std::filesystem::path& path) {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) {
    throw csv::InputError(path.string(),
                          std::string("cannot duplicate the descriptor: ") + std::strerror(errno));
  }
  return copy;
}

}  // namespace

std::unique_ptr<csv::ByteSource> OpenedFile::input() const {
  return csv::open_input(std::make_unique<csv::FileSource>(duplicate(fd_, path_), path_.string()));
}

std::unique_ptr<csv::ByteSource> OpenedFile::part(std::uint64_t begin, std::uint64_t end) const {
  return std::make_unique<csv::FileSource>(duplicate(fd_, path_), path_.string(), begin, end);
}

bool OpenedFile::is_gzip() const {
  return csv::FileSource(duplicate(fd_, path_), path_.string()).starts_with_gzip_magic();
}

}  // namespace dp::ingest
