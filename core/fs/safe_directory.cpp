#include "core/fs/safe_directory.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace dp::files {
namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

[[noreturn]] void refuse(const std::string& message) {
  spdlog::error("{}", message);
  throw UnsafePathError(message);
}

bool is_one_component(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos;
}

}  // namespace

SafeDirectory::SafeDirectory(int fd, std::filesystem::path path, OutputModes modes)
    : fd_(fd), path_(std::move(path)), modes_(modes) {}

SafeDirectory::~SafeDirectory() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

SafeDirectory::SafeDirectory(SafeDirectory&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), modes_(other.modes_) {}

SafeDirectory& SafeDirectory::operator=(SafeDirectory&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    modes_ = other.modes_;
  }
  return *this;
}

SafeDirectory SafeDirectory::open_configured(const std::filesystem::path& path, OutputModes modes) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    std::filesystem::create_directories(path);
    ::chmod(path.c_str(), modes.folder());
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot open folder " + path.string());
  }
  return SafeDirectory(fd, path, modes);
}

SafeDirectory SafeDirectory::child(std::string_view name) const {
  const auto path = path_ / std::string(name);
  if (!is_one_component(name)) {
    refuse(fmt::format("{}: not a plain folder name; refused", path.string()));
  }
  const std::string child_name(name);
  const bool created = ::mkdirat(fd_, child_name.c_str(), modes_.folder()) == 0;
  if (!created && errno != EEXIST) {
    throw std::system_error(errno, std::generic_category(), "cannot create " + path.string());
  }
  const int fd = ::openat(fd_, child_name.c_str(), kDirectoryFlags);
  if (fd < 0) {
    if (errno == ELOOP || errno == ENOTDIR) {
      refuse(fmt::format("{} is a symbolic link or not a folder; refused, nothing written there",
                         path.string()));
    }
    throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
  }
  SafeDirectory opened(fd, path, modes_);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot stat " + path.string());
  }
  if (info.st_uid != ::geteuid()) {
    refuse(
        fmt::format("{} is owned by uid {}, not by this service (uid {}); refused, nothing "
                    "written there",
                    path.string(), info.st_uid, ::geteuid()));
  }
  if (created) {
    // mkdirat's mode passed through the umask; the configured one is applied exactly.
    ::fchmod(fd, modes_.folder());
  }
  return opened;
}

SafeDirectory SafeDirectory::descend(const std::filesystem::path& relative) const {
  SafeDirectory current = child(relative.begin()->string());
  for (auto part = std::next(relative.begin()); part != relative.end(); ++part) {
    current = current.child(part->string());
  }
  return current;
}

SafeDirectory SafeDirectory::duplicate() const {
  const int fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot reopen " + path_.string());
  }
  return SafeDirectory(fd, path_, modes_);
}

void SafeDirectory::sync() const {
  ::fsync(fd_);
}

std::string numbered_name(const std::string& name, int number, std::string_view suffix) {
  std::size_t split = std::string::npos;
  if (!suffix.empty() && name.size() > suffix.size() && name.ends_with(suffix)) {
    split = name.rfind('.');
  } else {
    split = name.find('.', 1);
  }
  if (split == std::string::npos) {
    return name + "-" + std::to_string(number);
  }
  return name.substr(0, split) + "-" + std::to_string(number) + name.substr(split);
}

std::string rename_without_replacing(const SafeDirectory& from_dir, const std::string& from_name,
                                     const SafeDirectory& to_dir, const std::string& to_name,
                                     std::string_view suffix) {
  for (int attempt = 0; attempt < 10000; ++attempt) {
    const auto target = attempt == 0 ? to_name : numbered_name(to_name, attempt, suffix);
    if (::renameat2(from_dir.fd(), from_name.c_str(), to_dir.fd(), target.c_str(),
                    RENAME_NOREPLACE) == 0) {
      return target;
    }
    if (errno == EINVAL || errno == ENOSYS) {
      // No RENAME_NOREPLACE on this file system: a hard link fails on an existing name just
      // the same, and neither call follows a link.
      if (::linkat(from_dir.fd(), from_name.c_str(), to_dir.fd(), target.c_str(), 0) == 0) {
        ::unlinkat(from_dir.fd(), from_name.c_str(), 0);
        return target;
      }
    }
    if (errno != EEXIST) {
      throw std::system_error(
          errno, std::generic_category(),
          fmt::format("cannot move {} to {}", (from_dir.path() / from_name).string(),
                      (to_dir.path() / target).string()));
    }
  }
  throw std::runtime_error("no free name for " + (to_dir.path() / to_name).string());
}

}  // namespace dp::files
