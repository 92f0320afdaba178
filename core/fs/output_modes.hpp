#pragma once

#include <sys/types.h>

namespace dp::files {

/// Permissions of what the service creates: outputs hold raw rows (names, chat ids), so they are
/// private to the owner and one reading group by default, never world-readable.
struct OutputModes {
  /// Mode of created files (setting output_mode); applied exactly, whatever the umask.
  mode_t file = 0640;
  /// Mode of created folders: the file mode plus the search bit wherever it grants reading.
  mode_t folder() const { return 0700 | file | ((file & 0044) >> 2); }
};

}  // namespace dp::files
