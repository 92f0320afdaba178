#pragma once

#include <string>

namespace dp::cmd {

/// The full --help text: usage, every mode and option, exit codes, settings sources, and every
/// setting with its default (generated from the setting table, so it cannot drift). Shows
/// defaults only, never effective values, so it cannot print a secret and works even when the
/// configuration is broken.
std::string help_text();

/// The --version line, e.g. `dataprocessor 0.1.0`.
std::string version_text();

}  // namespace dp::cmd
