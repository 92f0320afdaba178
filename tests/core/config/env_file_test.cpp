#include "core/config/env_file.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include <doctest/doctest.h>

#include "core/config/config_error.hpp"
#include "core/config/setting_table.hpp"
#include "core/config/settings_loader.hpp"
#include "tests/core/config/scoped_environment.hpp"

using dp::config::ConfigError;
using dp::config::parse_env_text;

namespace {

std::map<std::string, std::string> as_map(const std::vector<dp::config::EnvEntry>& entries) {
  std::map<std::string, std::string> out;
  for (const auto& entry : entries) {
    out[entry.key] = entry.value;
  }
  return out;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE(".env lines: comments, blanks, export, quotes and inline comments") {
  const auto entries = parse_env_text(
      "# a comment\n"
      "\n"
      "PLAIN=value\n"
      "export EXPORTED=yes\n"
      "  SPACED  =  padded value  \n"
      "LITERAL='no $escapes \\n here'\n"
      "DOUBLE=\"line\\none \\\"quoted\\\" # not a comment\"\n"
      "INLINE=value # a comment\n"
      "HASH=a#b\n"
      "EMPTY=\n"
      "EMPTY_QUOTED=\"\"\n"
      "WINDOWS=crlf\r\n"
      "QUOTED_COMMENT='x' # trailing comment\n",
      "test.env");
  const auto values = as_map(entries);
  CHECK(values.at("PLAIN") == "value");
  CHECK(values.at("EXPORTED") == "yes");
  CHECK(values.at("SPACED") == "padded value");
  CHECK(values.at("LITERAL") == "no $escapes \\n here");
  CHECK(values.at("DOUBLE") == "line\none \"quoted\" # not a comment");
  CHECK(values.at("INLINE") == "value");
  CHECK(values.at("HASH") == "a#b");
  CHECK(values.at("EMPTY").empty());
  CHECK(values.at("EMPTY_QUOTED").empty());
  CHECK(values.at("WINDOWS") == "crlf");
  CHECK(values.at("QUOTED_COMMENT") == "x");
  CHECK(entries.front().line == 3);
}

TEST_CASE(".env syntax errors name the file and the line") {
  CHECK_THROWS_WITH_AS(parse_env_text("A=1\nnot an assignment\n", "my.env"),
                       "my.env line 2: expected KEY=VALUE", ConfigError);
  CHECK_THROWS_WITH_AS(parse_env_text("A=\"open\n", "my.env"),
                       "my.env line 1: unterminated double-quoted value", ConfigError);
  CHECK_THROWS_WITH_AS(parse_env_text("A='open\n", "my.env"),
                       "my.env line 1: unterminated single-quoted value", ConfigError);
  CHECK_THROWS_WITH_AS(parse_env_text("A='x' y\n", "my.env"),
                       "my.env line 1: unexpected text after the closing quote", ConfigError);
  CHECK_THROWS_AS(parse_env_text("=value\n", "my.env"), ConfigError);
}

TEST_CASE(".env.example documents every setting at its default") {
  const std::filesystem::path path = std::filesystem::path(DP_SOURCE_DIR) / ".env.example";
  const std::string text = read_text(path);
  REQUIRE_FALSE(text.empty());
  const dp::config::Settings defaults;
  for (const auto& spec : dp::config::setting_table()) {
    const std::string name = spec.env_name();
    const std::string commented = "\n# " + name + "=";
    const std::string active = "\n" + name + "=";
    const bool documented =
        text.find(commented) != std::string::npos || text.find(active) != std::string::npos;
    CHECK_MESSAGE(documented, name << " is missing from .env.example");
    if (const std::size_t at = text.find(commented); at != std::string::npos) {
      const std::size_t start = at + commented.size();
      const std::string value = text.substr(start, text.find('\n', start) - start);
      CHECK_MESSAGE(value == spec.show(defaults), name << " is documented as " << value);
    }
  }
}

TEST_CASE(".env.example works as this service's .env and as docker-compose's") {
  dp::config::testing::ScopedEnvironment environment;
  dp::config::SettingsSources sources;
  sources.env_file = std::filesystem::path(DP_SOURCE_DIR) / ".env.example";
  const auto loaded = dp::config::load_settings(sources);
  CHECK(loaded.warnings.empty());
  CHECK(loaded.settings.db_string ==
        "postgresql://dataprocessor:dataprocessor@postgres:5432/dataprocessor");
  const auto values = as_map(dp::config::read_env_file(*sources.env_file));
  CHECK(values.at("POSTGRES_USER") == "dataprocessor");
  CHECK(values.at("POSTGRES_PASSWORD") == "dataprocessor");
  CHECK(values.at("POSTGRES_DB") == "dataprocessor");
  CHECK(loaded.settings.describe().find("dataprocessor:dataprocessor@") == std::string::npos);
}
