#include "core/config/shipped_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "core/config/settings_loader.hpp"

namespace fs = std::filesystem;

TEST_CASE("the executable path is this test program, whatever the working folder") {
  const fs::path before = dp::config::executable_path();
  REQUIRE(before.is_absolute());
  CHECK(before.filename() == "dp_core_config_tests");
  const fs::path cwd = fs::current_path();
  fs::current_path(fs::temp_directory_path());
  CHECK(dp::config::executable_path() == before);
  fs::current_path(cwd);
}

TEST_CASE("shipped folders are looked for in the build tree layout, then the installed one") {
  const fs::path bin = dp::config::executable_path().parent_path();
  const auto candidates = dp::config::shipped_folder_candidates("sql");
  REQUIRE(candidates.size() == 2);
  CHECK(candidates[0] == bin / "share" / "dataprocessor" / "sql");
  CHECK(candidates[1] ==
        (bin.parent_path() / "share" / "dataprocessor" / "sql").lexically_normal());
}

TEST_CASE("the build tree's share/dataprocessor/sql is the repository's sql/") {
  // The test programs live in <build>/tests; the binary in <build>, whose share/ CMake links.
  const fs::path build_sql = fs::path(DP_TEST_BUILD_DIR) / "share" / "dataprocessor" / "sql";
  REQUIRE(fs::is_directory(build_sql / "migrations"));
  CHECK(fs::equivalent(build_sql, fs::path(DP_SOURCE_DIR) / "sql"));
  // From <build>/tests the first candidate is missing, the installed-prefix one is <build>/share.
  CHECK(dp::config::find_shipped_folder("sql") == build_sql.lexically_normal());
}

TEST_CASE("settings resolve an empty sql_dir beside the executable, a set one wins") {
  dp::config::SettingsSources sources;
  sources.read_environment = false;
  sources.default_env_file = "/nonexistent/.env";
  const auto defaults = dp::config::load_settings(sources);
  CHECK(defaults.settings.sql_dir == dp::config::find_shipped_folder("sql"));
  CHECK(defaults.origins.count("sql_dir") == 0);

  sources.overrides = {"sql_dir=my/sql"};
  const auto chosen = dp::config::load_settings(sources);
  CHECK(chosen.settings.sql_dir == "my/sql");
  CHECK(chosen.origins.at("sql_dir") == "--set");
}
