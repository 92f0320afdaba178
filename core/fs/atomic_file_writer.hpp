#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/fs/safe_directory.hpp"

namespace dp::files {

/// Writes a file through an unpredictable temporary name (created with O_EXCL|O_NOFOLLOW, so a
/// planted link is never written through), fsync and a rename inside the same verified folder:
/// a reader never sees half a file, a crash never leaves one, and content may arrive in pieces
/// (streamed exports). The file gets the folder's output mode exactly.
class AtomicFileWriter {
 public:
  /// Starts `name` (one path component) inside `folder`. Throws std::system_error.
  AtomicFileWriter(const SafeDirectory& folder, std::string name);
  /// Removes the temporary file unless a commit ran; never throws.
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void append(std::string_view bytes);
  /// Flushes, fsyncs and renames into place, replacing an earlier version of the same name
  /// (re-run exports): the rename replaces a directory entry of a folder the service owns and
  /// never follows a link there. Returns the final path.
  std::filesystem::path commit();
  /// Like commit(), but never replaces an existing file: takes numbered_name(name, 1, suffix),
  /// ... instead and returns the path it took.
  std::filesystem::path commit_without_overwrite(std::string_view suffix = {});
  /// The temporary name, so tests can show it is not predictable.
  const std::string& temporary_name() const { return temporary_; }

 private:
  /// Makes the written bytes durable and closes the temporary file, before either rename.
  void sync_and_close();

  SafeDirectory folder_;
  std::string name_;
  std::string temporary_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Creates `name` in `folder` exclusively (never following a link, never truncating what is
/// there) with the folder's output mode, for files written in place such as logs. Appends when
/// the file exists and is a regular file this user owns; refuses anything else with
/// UnsafePathError. Returns the descriptor.
int open_private_for_append(const SafeDirectory& folder, const std::string& name);

/// A random name `.NAME.tmp-<16 hex digits>`: hidden from the watcher, impossible to predict.
std::string temporary_name_for(const std::string& name);

}  // namespace dp::files
