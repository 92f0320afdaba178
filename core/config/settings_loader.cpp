#include "core/config/settings_loader.hpp"

#include <array>
#include <cstdlib>
#include <set>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/config/config_error.hpp"
#include "core/config/env_file.hpp"
#include "core/config/setting_table.hpp"
#include "core/config/shipped_files.hpp"
#include "core/config/value_parsing.hpp"

namespace dp::config {
namespace {

/// Sets one field from text and records where it came from; parse failures become a
/// ConfigError that names key, value (masked when secret) and source.
void apply(LoadedSettings& out, const SettingSpec& spec, std::string_view value,
           const std::string& source) {
  try {
    spec.assign(out.settings, value);
  } catch (const ValueError& e) {
    const std::string shown = spec.secret() ? spec.mask(value) : std::string(value);
    throw ConfigError(fmt::format("invalid value \"{}\" for {} (from {}): {}", shown, spec.key,
                                  source, e.what()));
  }
  out.origins[std::string(spec.key)] = source;
}

std::string unknown_key_message(std::string_view key, std::string_view source) {
  std::string message = fmt::format("unknown setting \"{}\" (from {})", key, source);
  if (const std::string suggestion = suggest_setting(key); !suggestion.empty()) {
    message += fmt::format("; did you mean {}?", suggestion);
  }
  return message;
}

/// Turns a native TOML value into the text the setting parsers read, so `workers = 4` and
/// `workers = "4"` mean the same.
std::optional<std::string> toml_value_text(const toml::node& node) {
  if (const auto* text = node.as_string()) {
    return text->get();
  }
  if (const auto* flag = node.as_boolean()) {
    return std::string(flag->get() ? "true" : "false");
  }
  if (const auto* integer = node.as_integer()) {
    return std::to_string(integer->get());
  }
  if (const auto* number = node.as_floating_point()) {
    return fmt::format("{}", number->get());
  }
  return std::nullopt;
}

void apply_toml_file(LoadedSettings& out, const std::filesystem::path& path) {
  const std::string label = fmt::format("--config {}", path.string());
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw ConfigError(fmt::format("config file {} not found (from --config)", path.string()));
  }
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("cannot parse {}: {} at line {}, column {}", label,
                                  e.description(), e.source().begin.line, e.source().begin.column));
  }
  std::set<const SettingSpec*> seen;
  for (auto&& [key, node] : table) {
    const std::string source = fmt::format("{}, line {}", label, node.source().begin.line);
    const SettingSpec* spec = find_setting(key.str());
    if (spec == nullptr) {
      throw ConfigError(unknown_key_message(key.str(), source));
    }
    if (!seen.insert(spec).second) {
      throw ConfigError(fmt::format("{} is set more than once in {} (keys are case-insensitive)",
                                    spec->key, label));
    }
    const std::optional<std::string> value = toml_value_text(node);
    if (!value) {
      throw ConfigError(
          fmt::format("{} (from {}) must be a string, number or boolean; settings are "
                      "top-level keys without tables",
                      spec->key, source));
    }
    apply(out, *spec, *value, source);
  }
}

/// Keys that docker-compose .env files carry for other containers or for libpq itself; they are
/// expected there, so they are ignored without a warning.
bool belongs_to_neighbour(std::string_view key) {
  static constexpr std::array<std::string_view, 3> kPrefixes{"POSTGRES_", "PG", "COMPOSE_"};
  const std::string upper = to_upper(key);
  for (const std::string_view prefix : kPrefixes) {
    if (std::string_view(upper).substr(0, prefix.size()) == prefix) {
      return true;
    }
  }
  return false;
}

void apply_env_file(LoadedSettings& out, const std::filesystem::path& path) {
  for (const EnvEntry& entry : read_env_file(path)) {
    const std::string source = fmt::format("{} line {}", path.string(), entry.line);
    const SettingSpec* spec = find_setting(entry.key);
    if (spec == nullptr) {
      // A .env file is shared with docker-compose (POSTGRES_PASSWORD, ...), so a key that is not
      // ours is normal there: warn about the unexpected ones instead of refusing to start.
      if (!belongs_to_neighbour(entry.key)) {
        out.warnings.push_back(unknown_key_message(entry.key, source) + "; ignored");
      }
      continue;
    }
    apply(out, *spec, entry.value, source);
  }
}

void apply_environment(LoadedSettings& out) {
  for (const SettingSpec& spec : setting_table()) {
    // The alias first, so that the canonical name wins when both are set.
    std::vector<std::string> names;
    if (!spec.alias.empty()) {
      names.push_back(to_upper(spec.alias));
    }
    names.push_back(spec.env_name());
    for (const std::string& name : names) {
      const char* value = std::getenv(name.c_str());
      // Empty counts as unset: compose's `KEY: ${KEY}` passes an empty string for an undefined KEY.
      if (value != nullptr && *value != '\0') {
        apply(out, spec, value, fmt::format("environment variable {}", name));
      }
    }
  }
}

void apply_override(LoadedSettings& out, std::string_view assignment) {
  const std::size_t equals = assignment.find('=');
  if (equals == std::string_view::npos) {
    throw ConfigError(fmt::format("--set expects KEY=VALUE, got \"{}\"", assignment));
  }
  const std::string_view key = trim(assignment.substr(0, equals));
  const SettingSpec* spec = find_setting(key);
  if (spec == nullptr) {
    throw ConfigError(unknown_key_message(key, "--set"));
  }
  apply(out, *spec, assignment.substr(equals + 1), "--set");
}

/// Checks that need more than one field.
void check_combination(const LoadedSettings& loaded) {
  const Settings& s = loaded.settings;
  if (s.telegram_bot_token.empty() != s.telegram_chat_id.empty()) {
    throw ConfigError(
        "telegram_bot_token and telegram_chat_id must be set together (one of them is empty)");
  }
}

}  // namespace

LoadedSettings load_settings(const SettingsSources& sources) {
  LoadedSettings loaded;
  if (sources.config_file) {
    apply_toml_file(loaded, *sources.config_file);
  }
  if (sources.env_file) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(*sources.env_file, error)) {
      throw ConfigError(
          fmt::format(".env file {} not found (from --env-file)", sources.env_file->string()));
    }
    apply_env_file(loaded, *sources.env_file);
  } else {
    std::error_code error;
    if (std::filesystem::is_regular_file(sources.default_env_file, error)) {
      apply_env_file(loaded, sources.default_env_file);
    }
  }
  if (sources.read_environment) {
    apply_environment(loaded);
  }
  for (const std::string& assignment : sources.overrides) {
    apply_override(loaded, assignment);
  }
  check_combination(loaded);
  if (loaded.settings.sql_dir.empty()) {
    // The default, found where the binary was built or installed: no source to record.
    loaded.settings.sql_dir = find_shipped_folder("sql");
  }
  return loaded;
}

}  // namespace dp::config
