#include "core/watch/file_stat.hpp"

namespace dp::watch {

FileStat file_stat_of(const struct stat& st) {
  FileStat stat;
  stat.size = static_cast<std::uint64_t>(st.st_size);
  stat.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                  static_cast<std::int64_t>(st.st_mtim.tv_nsec);
  stat.device = static_cast<std::uint64_t>(st.st_dev);
  stat.inode = static_cast<std::uint64_t>(st.st_ino);
  stat.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 +
                  static_cast<std::int64_t>(st.st_ctim.tv_nsec);
  return stat;
}

std::optional<FileStat> lstat_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return std::nullopt;
  }
  return file_stat_of(st);
}

}  // namespace dp::watch
