#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/settings.hpp"

namespace dp::config {

/// One setting as users see it: its key, how to parse and print it, and its documentation. The
/// loader, --help and describe() all read this one table, so a setting is declared once.
struct SettingSpec {
  /// Lower-case key used in TOML, .env and --set; the environment variable is its upper case.
  std::string_view key;
  /// Heading under which --help lists it.
  std::string_view group;
  /// One line for --help saying what it does.
  std::string_view help;
  /// Accepted values as shown in --help and error messages (`1..64`, `inotify|poll`).
  std::string accepts;
  /// Another accepted key (db_string also answers to DATABASE_URL, the common convention).
  std::string_view alias;
  /// Parses text into the field; throws ValueError saying what was expected.
  std::function<void(Settings&, std::string_view)> assign;
  /// The field as text in the syntax `assign` accepts (secrets unmasked: use shown_value).
  std::function<std::string(const Settings&)> show;
  /// Masks the printed value of a secret; empty for settings that are not secret.
  std::function<std::string(std::string_view)> mask;

  /// Whether the value must never be printed as is.
  bool secret() const { return static_cast<bool>(mask); }
  /// Name of the environment variable that sets it (`WORKERS`).
  std::string env_name() const;
  /// The value as it may be printed: masked when secret, `""` when empty.
  std::string shown_value(const Settings& settings) const;
};

/// All settings, in the order --help and describe() list them.
const std::vector<SettingSpec>& setting_table();

/// Looks a key (or alias) up case-insensitively; nullptr when it is not a setting.
const SettingSpec* find_setting(std::string_view key);

/// The closest known key to a misspelt one (`wokers` → `workers`), empty when none is close.
std::string suggest_setting(std::string_view key);

/// The settings part of --help: every setting with its environment name, accepted values,
/// default and meaning. Secrets' defaults are empty, and values are masked anyway.
std::string settings_reference();

}  // namespace dp::config
