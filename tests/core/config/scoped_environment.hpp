#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config/setting_table.hpp"
#include "core/config/value_parsing.hpp"

namespace dp::config::testing {

/// Sets and unsets real environment variables for one test and restores the previous values
/// afterwards. Starts by unsetting every settings variable, so the caller's own environment
/// (a DB_STRING in the shell, say) cannot change what a test sees.
class ScopedEnvironment {
 public:
  ScopedEnvironment() {
    for (const SettingSpec& spec : setting_table()) {
      unset(spec.env_name());
      if (!spec.alias.empty()) {
        unset(to_upper(spec.alias));
      }
    }
  }
  ~ScopedEnvironment() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  void set(const std::string& name, const std::string& value) {
    save(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& name) {
    save(name);
    ::unsetenv(name.c_str());
  }

 private:
  void save(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace dp::config::testing
