#include "cmd/help_text.hpp"

#include <doctest/doctest.h>

#include "core/config/setting_table.hpp"
#include "core/config/settings_loader.hpp"
#include "core/version.hpp"
#include "tests/core/config/scoped_environment.hpp"
#include "tests/support/temp_dir.hpp"

TEST_CASE("--help lists every mode and option") {
  const std::string text = dp::cmd::help_text();
  for (const char* flag :
       {"--watch", "--ingest FILE...", "--check FILE...", "--pipeline [--full]", "--analysis",
        "--init-db", "--status [--json]",
        "--generate KIND --rows N --out DIR [--seed S] [--bad-rows R]", "--health", "--limit N",
        "--config FILE", "--env-file FILE", "--set KEY=VALUE", "--help", "--version",
        "Exit codes: 0 success, 1 the work failed, 2 bad usage or configuration"}) {
    CHECK_MESSAGE(text.find(flag) != std::string::npos, flag);
  }
}

TEST_CASE("--help lists every setting with its environment name and default") {
  const std::string text = dp::cmd::help_text();
  const dp::config::Settings defaults;
  for (const auto& spec : dp::config::setting_table()) {
    const std::string line = std::string(spec.key) + " / " + spec.env_name();
    CHECK_MESSAGE(text.find(line) != std::string::npos, line);
    CHECK_MESSAGE(text.find(" = " + spec.shown_value(defaults) + "\n") != std::string::npos, line);
  }
  CHECK(text.find("workers / WORKERS = 2\n") != std::string::npos);
  CHECK(text.find("db_string / DB_STRING / DATABASE_URL = \"\"\n") != std::string::npos);
  CHECK(text.find("settle_ms / SETTLE_MS = 200ms\n") != std::string::npos);
}

TEST_CASE("--help never shows a configured secret") {
  dp::config::testing::ScopedEnvironment environment;
  environment.set("DB_STRING", "postgresql://u:HelpSecret@host/db");
  environment.set("TELEGRAM_BOT_TOKEN", "1:HelpToken");
  const std::string text = dp::cmd::help_text();
  CHECK(text.find("HelpSecret") == std::string::npos);
  CHECK(text.find("HelpToken") == std::string::npos);
}

TEST_CASE("--version prints the project version") {
  CHECK(dp::cmd::version_text() == std::string("dataprocessor ") + dp::kVersion);
}
