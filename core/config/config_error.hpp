#pragma once

#include <stdexcept>

namespace dp::config {

/// A setting that cannot be used: start-up stops with this message (exit code 2). The message
/// always names the key, the offending value (masked when secret) and the source it came from.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Raised by the value parsers with what was expected; the loader turns it into a ConfigError
/// that adds the key, the value and the source, which the parsers do not know.
struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace dp::config
