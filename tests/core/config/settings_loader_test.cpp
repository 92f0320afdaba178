#include "core/config/settings_loader.hpp"

#include <fstream>

#include <doctest/doctest.h>

#include "core/config/config_error.hpp"
#include "core/config/setting_table.hpp"
#include "core/config/shipped_files.hpp"
#include "tests/core/config/scoped_environment.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using dp::config::ConfigError;
using dp::config::load_settings;
using dp::config::SettingsSources;
using dp::config::testing::ScopedEnvironment;

namespace {

std::filesystem::path write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
  return path;
}

/// Sources that read only what a test writes: no ./.env of the working directory.
SettingsSources isolated(const dp::test::TempDir& dir) {
  SettingsSources sources;
  sources.default_env_file = dir.path() / "absent.env";
  return sources;
}

std::string load_error(const SettingsSources& sources) {
  try {
    load_settings(sources);
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("load_settings accepted what it should have rejected");
  return {};
}

}  // namespace

TEST_CASE("without any source every setting keeps its built-in default") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  const auto loaded = load_settings(isolated(dir));
  // sql_dir's default is a place, found beside the executable when the settings are loaded.
  dp::config::Settings defaults;
  defaults.sql_dir = dp::config::find_shipped_folder("sql");
  CHECK(loaded.settings.describe() == defaults.describe());
  CHECK(loaded.origins.empty());
  CHECK(loaded.warnings.empty());
  CHECK(loaded.settings.workers == 2);
  CHECK(loaded.settings.staging_schema == "staging");
  CHECK(loaded.settings.dw_schema == "datawarehouse");
  CHECK(loaded.settings.init_db);
  CHECK(loaded.settings.settle_ms == 200ms);
  CHECK(loaded.settings.pipeline_interval == 0ms);
  CHECK(loaded.settings.max_record_bytes == 16u * 1024 * 1024);
}

TEST_CASE("defaults < TOML < .env < environment < --set, each key from its highest source") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file = write_file(dir.path() / "settings.toml",
                                   "workers = 3\n"
                                   "debug_logs = true\n"
                                   "imports_dir = \"toml_imports\"\n"
                                   "staging_schema = \"toml_staging\"\n"
                                   "dw_schema = \"toml_dw\"\n"
                                   "exports_dir = \"toml_exports\"\n");
  sources.env_file = write_file(dir.path() / "custom.env",
                                "WORKERS=4\n"
                                "STAGING_SCHEMA=env_file_staging\n"
                                "DW_SCHEMA=env_file_dw\n"
                                "EXPORTS_DIR=env_file_exports\n");
  environment.set("WORKERS", "5");
  environment.set("DW_SCHEMA", "environment_dw");
  sources.overrides = {"workers=6", "exports_dir=set_exports", "workers=7"};

  const auto loaded = load_settings(sources);
  const auto& s = loaded.settings;
  CHECK(s.workers == 7);
  CHECK(s.exports_dir == "set_exports");
  CHECK(s.dw_schema == "environment_dw");
  CHECK(s.staging_schema == "env_file_staging");
  CHECK(s.imports_dir == "toml_imports");
  CHECK(s.debug_logs);
  CHECK(s.logs_dir == "logs");

  const std::string toml_label = "--config " + sources.config_file->string();
  CHECK(loaded.origins.at("workers") == "--set");
  CHECK(loaded.origins.at("dw_schema") == "environment variable DW_SCHEMA");
  CHECK(loaded.origins.at("staging_schema") == sources.env_file->string() + " line 2");
  CHECK(loaded.origins.at("imports_dir") == toml_label + ", line 3");
  CHECK_FALSE(loaded.origins.contains("logs_dir"));
  CHECK(s.describe(loaded.origins).find("workers = 7  (--set)") != std::string::npos);
}

TEST_CASE("./.env is read when no --env-file is given, and only if it exists") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.default_env_file = write_file(dir.path() / ".env", "workers=9\n");
  CHECK(load_settings(sources).settings.workers == 9);
  std::filesystem::remove(sources.default_env_file);
  CHECK(load_settings(sources).settings.workers == 2);
}

TEST_CASE("a file named explicitly must exist") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file = dir.path() / "missing.toml";
  CHECK(load_error(sources) ==
        "config file " + sources.config_file->string() + " not found (from --config)");
  sources = isolated(dir);
  sources.env_file = dir.path() / "missing.env";
  CHECK(load_error(sources) ==
        ".env file " + sources.env_file->string() + " not found (from --env-file)");
}

TEST_CASE("keys are case-insensitive in TOML, .env and --set") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file = write_file(dir.path() / "settings.toml", "Workers = 3\nECHO_SQL = true\n");
  sources.env_file = write_file(dir.path() / "x.env", "debug_LOGS=on\nImports_Dir=mixed\n");
  sources.overrides = {"STAGING_SCHEMA=upper", "Dw_Schema=mixed_dw"};
  const auto s = load_settings(sources).settings;
  CHECK(s.workers == 3);
  CHECK(s.echo_sql);
  CHECK(s.debug_logs);
  CHECK(s.imports_dir == "mixed");
  CHECK(s.staging_schema == "upper");
  CHECK(s.dw_schema == "mixed_dw");
}

TEST_CASE("the same key twice in one TOML file, differing in case, is an error") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file = write_file(dir.path() / "settings.toml", "workers = 3\nWORKERS = 4\n");
  CHECK(load_error(sources).find("workers is set more than once") != std::string::npos);
}

TEST_CASE("booleans are strict: \"False\" is false, \"maybe\" names key, value and source") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file =
      write_file(dir.path() / "settings.toml", "debug_logs = true\ninit_db = \"no\"\n");
  environment.set("DEBUG_LOGS", "False");
  auto s = load_settings(sources).settings;
  CHECK_FALSE(s.debug_logs);
  CHECK_FALSE(s.init_db);

  environment.set("DEBUG_LOGS", "maybe");
  CHECK(load_error(sources) ==
        "invalid value \"maybe\" for debug_logs (from environment variable DEBUG_LOGS): "
        "expected true/false/1/0/yes/no/on/off");

  environment.unset("DEBUG_LOGS");
  sources.env_file = write_file(dir.path() / "x.env", "\nDEV=enabled\n");
  CHECK(load_error(sources) == "invalid value \"enabled\" for dev (from " +
                                   sources.env_file->string() +
                                   " line 2): expected true/false/1/0/yes/no/on/off");
  sources.env_file.reset();
  sources.overrides = {"echo_sql=ja"};
  CHECK(load_error(sources) ==
        "invalid value \"ja\" for echo_sql (from --set): expected true/false/1/0/yes/no/on/off");
}

TEST_CASE("an unknown TOML key is an error naming the key and the file") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file = write_file(dir.path() / "settings.toml", "workers = 2\nwokers = 3\n");
  CHECK(load_error(sources) == "unknown setting \"wokers\" (from --config " +
                                   sources.config_file->string() +
                                   ", line 2); did you mean workers?");
  sources.config_file = write_file(dir.path() / "settings.toml", "[database]\nport = 5\n");
  CHECK(load_error(sources).find("unknown setting \"database\"") != std::string::npos);
}

TEST_CASE("an unknown --set key is an error, unknown .env keys only warn") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.overrides = {"no_such_setting=1"};
  CHECK(load_error(sources) == "unknown setting \"no_such_setting\" (from --set)");

  sources.overrides.clear();
  sources.env_file = write_file(dir.path() / "shared.env",
                                "POSTGRES_PASSWORD=secret\nPGHOST=db\nCOMPOSE_PROJECT_NAME=dp\n"
                                "WORKER=3\nWORKERS=3\n");
  const auto loaded = load_settings(sources);
  CHECK(loaded.settings.workers == 3);
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0] == "unknown setting \"WORKER\" (from " + sources.env_file->string() +
                                  " line 4); did you mean workers?; ignored");
}

TEST_CASE("bad numbers, enums, durations and sizes name the key, the value and the source") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  environment.set("WORKERS", "0");
  CHECK(load_error(sources) ==
        "invalid value \"0\" for workers (from environment variable WORKERS): expected a whole "
        "number from 1 to 64");
  environment.set("WORKERS", "sixty");
  CHECK(load_error(sources).find("\"sixty\" for workers") != std::string::npos);
  environment.set("WORKERS", "65");
  CHECK(load_error(sources).find("\"65\" for workers") != std::string::npos);
  environment.unset("WORKERS");

  sources.overrides = {"watch_mode=fanotify"};
  CHECK(load_error(sources) ==
        "invalid value \"fanotify\" for watch_mode (from --set): expected one of inotify|poll");
  sources.overrides = {"settle_ms=soon"};
  CHECK(load_error(sources).find("for settle_ms (from --set): expected a duration") !=
        std::string::npos);
  sources.overrides = {"rescan_interval_s=0"};
  CHECK(load_error(sources).find("expected a duration from 1s to 1d") != std::string::npos);
  sources.overrides = {"max_record_bytes=huge"};
  CHECK(load_error(sources).find("for max_record_bytes") != std::string::npos);
  sources.overrides = {"max_reject_ratio=2"};
  CHECK(load_error(sources).find("expected a number from 0 to 1") != std::string::npos);
  sources.overrides = {"http_port=70000"};
  CHECK(load_error(sources).find("for http_port") != std::string::npos);
  sources.overrides = {"staging_schema="};
  CHECK(load_error(sources).find("for staging_schema") != std::string::npos);
}

TEST_CASE("TOML values may be native types or strings") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file = write_file(dir.path() / "settings.toml",
                                   "workers = 4\n"
                                   "queue_capacity = \"500\"\n"
                                   "dev = true\n"
                                   "echo_sql = \"yes\"\n"
                                   "max_reject_ratio = 0.25\n"
                                   "settle_ms = 350\n"
                                   "rescan_interval_s = 45\n"
                                   "stale_after = \"2h\"\n"
                                   "pipeline_interval = \"15m\"\n"
                                   "max_record_bytes = \"1MiB\"\n"
                                   "log_max_file_bytes = 1048576\n"
                                   "on_error = \"SKIP_FILE\"\n");
  const auto s = load_settings(sources).settings;
  CHECK(s.workers == 4);
  CHECK(s.queue_capacity == 500);
  CHECK(s.dev);
  CHECK(s.echo_sql);
  CHECK(s.max_reject_ratio == doctest::Approx(0.25));
  CHECK(s.settle_ms == 350ms);
  CHECK(s.rescan_interval_s == 45s);
  CHECK(s.stale_after == 2h);
  CHECK(s.pipeline_interval == 15min);
  CHECK(s.max_record_bytes == 1024u * 1024);
  CHECK(s.log_max_file_bytes == 1024u * 1024);
  CHECK(s.on_error == dp::config::RowErrorPolicy::kSkipFile);
}

TEST_CASE("TOML arrays, tables and syntax errors are reported with the file") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.config_file = write_file(dir.path() / "settings.toml", "workers = [1, 2]\n");
  CHECK(load_error(sources).find("workers (from --config " + sources.config_file->string() +
                                 ", line 1) must be a string, number or boolean") !=
        std::string::npos);
  sources.config_file = write_file(dir.path() / "settings.toml", "workers = \n");
  CHECK(load_error(sources).rfind("cannot parse --config " + sources.config_file->string(), 0) ==
        0);
}

TEST_CASE("DATABASE_URL is an alias of db_string, DB_STRING wins when both are set") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  environment.set("DATABASE_URL", "postgresql://alias@host/db");
  auto loaded = load_settings(sources);
  CHECK(loaded.settings.db_string == "postgresql://alias@host/db");
  CHECK(loaded.origins.at("db_string") == "environment variable DATABASE_URL");

  environment.set("DB_STRING", "postgresql://canonical@host/db");
  CHECK(load_settings(sources).settings.db_string == "postgresql://canonical@host/db");

  environment.unset("DB_STRING");
  environment.unset("DATABASE_URL");
  sources.env_file = write_file(dir.path() / "x.env", "database_url=host=envfile\n");
  CHECK(load_settings(sources).settings.db_string == "host=envfile");
}

TEST_CASE("empty environment variables count as unset") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.env_file = write_file(dir.path() / "x.env", "WORKERS=3\n");
  environment.set("WORKERS", "");
  CHECK(load_settings(sources).settings.workers == 3);
}

TEST_CASE("the process environment can be left out") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  environment.set("WORKERS", "5");
  sources.read_environment = false;
  CHECK(load_settings(sources).settings.workers == 2);
}

TEST_CASE("telegram token and chat id are set together") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  sources.overrides = {"telegram_bot_token=123:ABCsecret"};
  const std::string error = load_error(sources);
  CHECK(error.find("telegram_chat_id") != std::string::npos);
  CHECK(error.find("ABCsecret") == std::string::npos);
  sources.overrides.push_back("telegram_chat_id=-100200");
  CHECK(load_settings(sources).settings.telegram_chat_id == "-100200");
}

TEST_CASE("describe() lists every setting and never a secret") {
  ScopedEnvironment environment;
  dp::test::TempDir dir;
  SettingsSources sources = isolated(dir);
  environment.set("DB_STRING", "host=db user=u password='pa ss' dbname=app");
  sources.overrides = {"telegram_bot_token=123456:TOKENSECRET", "telegram_chat_id=42",
                       "webhook_url=https://hooks.example.com/services/HOOKSECRET?sig=QUERYSECRET"};
  const auto loaded = load_settings(sources);
  const std::string text = loaded.settings.describe(loaded.origins);
  for (const char* secret : {"pa ss", "TOKENSECRET", "HOOKSECRET", "QUERYSECRET"}) {
    CHECK_MESSAGE(text.find(secret) == std::string::npos, secret);
  }
  CHECK(
      text.find(
          "db_string = host=db user=u password=*** dbname=app  (environment variable DB_STRING)") !=
      std::string::npos);
  CHECK(text.find("telegram_bot_token = ***") != std::string::npos);
  CHECK(text.find("webhook_url = https://hooks.example.com/***") != std::string::npos);
  CHECK(text.find("telegram_chat_id = 42") != std::string::npos);
  for (const auto& spec : dp::config::setting_table()) {
    const std::string line = std::string(spec.key) + " = ";
    const bool listed = text.find("\n" + line) != std::string::npos || text.rfind(line, 0) == 0;
    CHECK_MESSAGE(listed, spec.key);
  }
}

TEST_CASE("every setting reads back what it prints") {
  dp::config::Settings settings;
  for (const auto& spec : dp::config::setting_table()) {
    const std::string shown = spec.show(settings);
    dp::config::Settings copy;
    CHECK_NOTHROW_MESSAGE(spec.assign(copy, shown), spec.key);
    CHECK_MESSAGE(spec.show(copy) == shown, spec.key);
  }
  CHECK(dp::config::find_setting("DATABASE_URL") == dp::config::find_setting("db_string"));
  CHECK(dp::config::find_setting("nope") == nullptr);
}
