#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/config/settings.hpp"

namespace dp::config {

/// Where settings come from besides the built-in defaults; filled from the command line.
struct SettingsSources {
  /// `--config FILE`: a TOML file. Named explicitly, so a missing file is an error.
  std::optional<std::filesystem::path> config_file;
  /// `--env-file FILE`: must exist. Absent: `default_env_file` is read if it exists.
  std::optional<std::filesystem::path> env_file;
  /// The .env read when no --env-file is given; tests point it into a temporary folder.
  std::filesystem::path default_env_file = ".env";
  /// Whether the process environment is a source; tests may turn it off.
  bool read_environment = true;
  /// `--set KEY=VALUE` overrides, highest precedence, applied in order (the last one wins).
  std::vector<std::string> overrides;
};

/// The effective settings plus what start-up should report once logging is set up.
struct LoadedSettings {
  /// The effective settings the service runs with.
  Settings settings;
  /// Source of every value that is not the default, for Settings::describe().
  SettingOrigins origins;
  /// Things worth a warning but not fatal (unknown keys in a .env file), to be logged.
  std::vector<std::string> warnings;
};

/// Layers defaults < TOML file < .env file < process environment < --set, then checks the
/// combination. Throws ConfigError naming key, value and source on anything invalid: an
/// unknown TOML or --set key, a bad boolean/number/enum/duration, a missing named file.
LoadedSettings load_settings(const SettingsSources& sources);

}  // namespace dp::config
