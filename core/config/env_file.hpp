#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dp::config {

/// One assignment of a .env file, with its line so that errors can point at it.
struct EnvEntry {
  /// The key as written (case is kept; the loader compares case-insensitively).
  std::string key;
  /// The value with quotes removed and escapes resolved.
  std::string value;
  /// 1-based line number, for messages.
  int line = 0;
};

/// Parses .env text in the dialect docker-compose and shells share: `KEY=VALUE` lines, blank
/// lines, `#` comment lines, an optional `export ` prefix, values bare (a ` #` starts a
/// comment, surrounding spaces are dropped), in 'single quotes' (literal) or in "double quotes"
/// (with \n, \t, \", \\ escapes). `source` names the file in error messages.
/// Throws ConfigError on a line that is none of these (e.g. an unterminated quote).
std::vector<EnvEntry> parse_env_text(std::string_view text, std::string_view source);

/// Reads and parses a .env file. Throws ConfigError when it cannot be read or parsed.
std::vector<EnvEntry> read_env_file(const std::filesystem::path& path);

}  // namespace dp::config
