#include "core/config/env_file.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/config/config_error.hpp"
#include "core/config/value_parsing.hpp"

namespace dp::config {
namespace {

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

[[noreturn]] void fail(std::string_view source, int line, std::string_view what) {
  throw ConfigError(fmt::format("{} line {}: {}", source, line, what));
}

/// Reads a double-quoted value body after the opening quote; returns the value and leaves
/// `rest` just after the closing quote.
std::string read_double_quoted(std::string_view& rest, std::string_view source, int line) {
  std::string value;
  std::size_t pos = 0;
  while (pos < rest.size() && rest[pos] != '"') {
    if (rest[pos] == '\\' && pos + 1 < rest.size()) {
      const char escaped = rest[pos + 1];
      switch (escaped) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case '"':
        case '\\':
        case '$':
          value += escaped;
          break;
        default:
          value += '\\';
          value += escaped;
      }
      pos += 2;
    } else {
      value += rest[pos++];
    }
  }
  if (pos >= rest.size()) {
    fail(source, line, "unterminated double-quoted value");
  }
  rest.remove_prefix(pos + 1);
  return value;
}

std::string read_value(std::string_view rest, std::string_view source, int line) {
  rest = trim(rest);
  std::string value;
  if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
    const char quote = rest.front();
    rest.remove_prefix(1);
    if (quote == '"') {
      value = read_double_quoted(rest, source, line);
    } else {
      const std::size_t end = rest.find('\'');
      if (end == std::string_view::npos) {
        fail(source, line, "unterminated single-quoted value");
      }
      value = std::string(rest.substr(0, end));
      rest.remove_prefix(end + 1);
    }
    rest = trim(rest);
    if (!rest.empty() && rest.front() != '#') {
      fail(source, line, "unexpected text after the closing quote");
    }
    return value;
  }
  // A bare value ends at a '#' that follows a blank: `KEY=a#b` keeps the '#', like compose.
  for (std::size_t pos = 0; pos < rest.size(); ++pos) {
    if (rest[pos] == '#' && (pos == 0 || is_blank(rest[pos - 1]))) {
      rest = rest.substr(0, pos);
      break;
    }
  }
  return std::string(trim(rest));
}

}  // namespace

std::vector<EnvEntry> parse_env_text(std::string_view text, std::string_view source) {
  std::vector<EnvEntry> entries;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    line = trim(line);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.size() > 7 && line.substr(0, 7) == "export ") {
      line = trim(line.substr(7));
    }
    std::size_t key_end = 0;
    while (key_end < line.size() && is_key_char(line[key_end])) {
      ++key_end;
    }
    const std::string_view key = line.substr(0, key_end);
    std::string_view rest = line.substr(key_end);
    while (!rest.empty() && is_blank(rest.front())) {
      rest.remove_prefix(1);
    }
    if (key.empty() || rest.empty() || rest.front() != '=') {
      fail(source, line_number, "expected KEY=VALUE");
    }
    rest.remove_prefix(1);
    entries.push_back(
        EnvEntry{std::string(key), read_value(rest, source, line_number), line_number});
  }
  return entries;
}

std::vector<EnvEntry> read_env_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(fmt::format("cannot read the .env file {}", path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw ConfigError(fmt::format("cannot read the .env file {}", path.string()));
  }
  return parse_env_text(text.str(), path.string());
}

}  // namespace dp::config
