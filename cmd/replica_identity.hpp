#pragma once

#include <string>

#include "core/config/settings.hpp"
#include "core/db/session_options.hpp"

namespace dp::cmd {

/// This process's name among replicas: the replica_id setting, or `HOST-PID` (characters other
/// than letters, digits, `.`, `_` and `-` in the host name become `_`), unique without
/// configuration and the same for every call in one process.
std::string replica_id_of(const config::Settings& settings);

/// The session options every connection of this process carries (replica name, timeouts).
db::SessionOptions session_options_of(const config::Settings& settings);

}  // namespace dp::cmd
