#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "core/config/settings.hpp"

namespace spdlog {
class logger;
}

namespace dp::log {

/// Name of the log file inside logs_dir; rotated copies get `.1`, `.2`, ... before `.log`.
inline constexpr std::string_view kLogFileName = "dataprocessor.log";

/// Sends spdlog's default logger to stderr and to a size-rotated logs_dir/dataprocessor.log
/// (creating logs_dir), at debug level when debug_logs is set. When the file cannot be written
/// it warns on the console and goes on console-only: losing the log file must not stop loading.
/// Safe to call again (tests, or settings reloaded): the previous loggers are replaced.
/// Returns the log file in use, or nullopt when logging to the console only.
std::optional<std::filesystem::path> setup_logging(const config::Settings& settings);

/// The logger SQL echo writes to (name "sql"), sharing the sinks of the default logger; null
/// before setup_logging().
std::shared_ptr<spdlog::logger> sql_logger();

/// Whether echo_sql is on, so callers can skip building statement text nobody will read.
bool sql_echo_enabled();

/// Logs one SQL statement's text when echo_sql is on. Pass statement text only, never bound
/// parameter values: they may hold personal data or secrets.
void log_sql(std::string_view statement);

}  // namespace dp::log
