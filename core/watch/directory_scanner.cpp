#include "core/watch/directory_scanner.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <spdlog/spdlog.h>

namespace dp::watch {
namespace {

EntryType type_of(mode_t mode) {
  if (S_ISREG(mode)) {
    return EntryType::kRegular;
  }
  if (S_ISLNK(mode)) {
    return EntryType::kSymlink;
  }
  if (S_ISDIR(mode)) {
    return EntryType::kDirectory;
  }
  if (S_ISFIFO(mode)) {
    return EntryType::kFifo;
  }
  if (S_ISSOCK(mode)) {
    return EntryType::kSocket;
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return EntryType::kDevice;
  }
  return EntryType::kUnknown;
}

EntryInfo info_of(const struct stat& st) {
  EntryInfo info;
  info.type = type_of(st.st_mode);
  info.stat = file_stat_of(st);
  return info;
}

/// Closes the directory stream on every path out of the scan.
class DirCloser {
 public:
  explicit DirCloser(DIR* dir) : dir_(dir) {}
  ~DirCloser() { ::closedir(dir_); }
  DirCloser(const DirCloser&) = delete;
  DirCloser& operator=(const DirCloser&) = delete;

 private:
  DIR* dir_;
};

}  // namespace

DirectoryListing scan_directory(const std::filesystem::path& dir) {
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) {
    throw std::system_error(errno, std::generic_category(), "cannot open folder " + dir.string());
  }
  DirCloser closer(stream);
  const int dir_fd = ::dirfd(stream);
  DirectoryListing listing;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(stream);
    if (entry == nullptr) {
      if (errno != 0) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot read folder " + dir.string());
      }
      break;
    }
    const std::string name = entry->d_name;
    if (name == "." || name == "..") {
      continue;
    }
    struct stat st {};
    if (::fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) {
        spdlog::warn("scan of {}: cannot stat {}: {}", dir.string(), name, std::strerror(errno));
      }
      continue;
    }
    const EntryInfo info = info_of(st);
    switch (info.type) {
      case EntryType::kRegular:
        listing.files.push_back(ScannedFile{name, info.stat});
        break;
      case EntryType::kSymlink:
        listing.symlinks.push_back(name);
        break;
      default:
        listing.others.push_back(OtherEntry{name, info.type});
        break;
    }
  }
  return listing;
}

std::optional<EntryInfo> lstat_entry(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) {
      spdlog::warn("cannot stat {}: {}", path.string(), std::strerror(errno));
    }
    return std::nullopt;
  }
  return info_of(st);
}

const char* to_string(EntryType type) {
  switch (type) {
    case EntryType::kRegular:
      return "regular file";
    case EntryType::kSymlink:
      return "symlink";
    case EntryType::kDirectory:
      return "directory";
    case EntryType::kFifo:
      return "named pipe";
    case EntryType::kSocket:
      return "socket";
    case EntryType::kDevice:
      return "device";
    case EntryType::kUnknown:
      return "unknown file type";
  }
  return "unknown file type";
}

}  // namespace dp::watch
