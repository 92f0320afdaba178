#pragma once

#include <stdexcept>
#include <string>

namespace dp::files {

/// A folder or file the service was about to write through is not its own (a symbolic link,
/// not a folder, owned by another user): the write is refused, never redirected.
class UnsafePathError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace dp::files
