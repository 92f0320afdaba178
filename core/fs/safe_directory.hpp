#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/fs/output_modes.hpp"
#include "core/fs/unsafe_path_error.hpp"

namespace dp::files {

/// An open folder that every write of the service goes through (openat relative to its
/// descriptor), so that a symbolic link planted by whoever can write imports/ is never followed
/// between the check and the write.
class SafeDirectory {
 public:
  /// Opens (creating it when missing) a folder the operator configured, such as imports_dir:
  /// its path is trusted as written, links included. Throws std::system_error.
  static SafeDirectory open_configured(const std::filesystem::path& path, OutputModes modes = {});

  /// Opens (creating it when missing) the service-owned subfolder `name` (one path component):
  /// refuses a symbolic link, anything but a folder, and a folder another user owns, with
  /// UnsafePathError naming it.
  SafeDirectory child(std::string_view name) const;
  /// child() for each component of a relative path (`rejects`, `.processed/2026-12-04`).
  SafeDirectory descend(const std::filesystem::path& relative) const;
  /// A second descriptor of the same folder, for a writer that outlives this object.
  SafeDirectory duplicate() const;

  ~SafeDirectory();
  SafeDirectory(SafeDirectory&& other) noexcept;
  SafeDirectory& operator=(SafeDirectory&& other) noexcept;
  SafeDirectory(const SafeDirectory&) = delete;
  SafeDirectory& operator=(const SafeDirectory&) = delete;

  /// The descriptor that openat, renameat2 and unlinkat take.
  int fd() const { return fd_; }
  /// The folder's path, for messages and for callers that report where a file went.
  const std::filesystem::path& path() const { return path_; }
  /// The modes files and folders are created with inside this folder.
  const OutputModes& modes() const { return modes_; }
  /// Makes renames into this folder durable.
  void sync() const;

 private:
  SafeDirectory(int fd, std::filesystem::path path, OutputModes modes);

  int fd_ = -1;
  std::filesystem::path path_;
  OutputModes modes_;
};

/// `NAME-N` with the extension kept at the end: when `name` ends with `suffix` only its last
/// extension moves behind the number (`a.csv.error.txt` becomes `a.csv.error-1.txt`, still the
/// report of `a.csv`), otherwise everything from the first dot after the first character does
/// (`a.csv.gz` becomes `a-1.csv.gz`).
std::string numbered_name(const std::string& name, int number, std::string_view suffix = {});

/// Renames `from_dir/from_name` to `to_dir/to_name` and never replaces what is there: takes
/// the first free numbered_name() instead (renameat2 RENAME_NOREPLACE; link + unlink where the
/// file system lacks it). Never follows a link at either end. Returns the name taken.
std::string rename_without_replacing(const SafeDirectory& from_dir, const std::string& from_name,
                                     const SafeDirectory& to_dir, const std::string& to_name,
                                     std::string_view suffix = {});

}  // namespace dp::files
