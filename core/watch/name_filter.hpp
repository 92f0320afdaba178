#pragma once

#include <string_view>

namespace dp::watch {

/// Where loaded files are moved inside imports/; hidden, so the watcher never treats it as input.
inline constexpr std::string_view kProcessedFolderName = ".processed";
/// Where failed files (and their .error.txt) are moved inside imports/; hidden for the same reason.
inline constexpr std::string_view kFailedFolderName = ".failed";

/// Why a name is never touched; the watcher logs hidden names silently and reports the rest once.
enum class NameVerdict {
  kAccept,
  /// Starts with a dot: dot-files, rsync/editor temporaries and the service's own subfolders.
  kHidden,
  /// A name a writer uses while the file is incomplete (`*.part`, `*.tmp`, ...).
  kTemporary,
};

/// Decides from the name alone whether a folder entry may ever be handed to the ingest engine,
/// because a writer that is still busy announces it by the name it writes under.
NameVerdict classify_name(std::string_view name);

/// Shorthand for `classify_name(name) != NameVerdict::kAccept`.
bool is_ignored_name(std::string_view name);

/// A short reason for logs and the on_ignored callback, e.g. "temporary name (*.part)".
const char* to_string(NameVerdict verdict);

}  // namespace dp::watch
