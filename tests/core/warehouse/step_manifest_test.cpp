#include "core/warehouse/step_manifest.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/core/warehouse/warehouse_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using dp::warehouse::load_manifest;
using dp::warehouse::ManifestError;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

/// A folder with step files a.sql and b.sql and the given manifest text.
fs::path manifest_in(const dp::test::TempDir& dir, const std::string& text) {
  write_file(dir.path() / "a.sql", "SELECT 1 AS rows_affected;");
  write_file(dir.path() / "b.sql", "SELECT 2 AS rows_affected;");
  write_file(dir.path() / "manifest.toml", text);
  return dir.path() / "manifest.toml";
}

}  // namespace

TEST_CASE("a manifest lists its steps in order with their files' text and dependencies") {
  const auto manifest = load_manifest(dp::test::warehouse_fixture("diamond"));
  REQUIRE(manifest.steps.size() == 4);
  CHECK(manifest.steps[0].name == "join");
  CHECK(manifest.steps[0].depends_on == std::vector<std::string>{"left", "right"});
  CHECK(manifest.steps[1].name == "root");
  CHECK(manifest.steps[1].depends_on.empty());
  CHECK(manifest.steps[2].file.filename() == "left.sql");
  CHECK(manifest.steps[2].sql.find("pg_sleep(0.8)") != std::string::npos);
}

TEST_CASE("the project's real warehouse manifest is valid and every step file exists") {
  const auto path = fs::path(DP_SOURCE_DIR) / "sql" / "warehouse" / "manifest.toml";
  const auto manifest = load_manifest(path);
  CHECK(manifest.steps.size() > 5);
  for (const auto& step : manifest.steps) {
    CAPTURE(step.name);
    CHECK_FALSE(step.sql.empty());
  }
}

TEST_CASE("a dependency cycle is rejected with the steps of the cycle in order") {
  try {
    load_manifest(dp::test::warehouse_fixture("cycle"));
    FAIL("the cycle was accepted");
  } catch (const ManifestError& error) {
    const std::string message = error.what();
    CHECK(message.find("dependency cycle") != std::string::npos);
    // Any rotation of a -> b -> c -> a, in dependency direction (a needs c, c needs b, b needs a).
    const bool named = message.find("a -> c -> b -> a") != std::string::npos ||
                       message.find("c -> b -> a -> c") != std::string::npos ||
                       message.find("b -> a -> c -> b") != std::string::npos;
    CHECK_MESSAGE(named, message);
  }
}

TEST_CASE("an unknown dependency is rejected naming the step and the missing name") {
  CHECK_THROWS_WITH_AS(load_manifest(dp::test::warehouse_fixture("unknown_dependency")),
                       "step a depends on dim_dates, which is not a step", ManifestError);
}

TEST_CASE("malformed manifests are rejected with a message that says what is wrong") {
  dp::test::TempDir dir;
  SUBCASE("a missing manifest names the setting that locates it") {
    CHECK_THROWS_WITH_AS(load_manifest(dir.path() / "manifest.toml"),
                         doctest::Contains("setting sql_dir"), ManifestError);
  }
  SUBCASE("TOML syntax errors give the line") {
    const auto path = manifest_in(dir, "[[step]]\nname = \"a\nfile = \"a.sql\"\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), doctest::Contains("line 2"), ManifestError);
  }
  SUBCASE("a step file that does not exist") {
    const auto path = manifest_in(dir, "[[step]]\nname = \"a\"\nfile = \"missing.sql\"\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), doctest::Contains("step a: file"), ManifestError);
  }
  SUBCASE("a name used twice") {
    const auto path = manifest_in(dir,
                                  "[[step]]\nname = \"a\"\nfile = \"a.sql\"\n"
                                  "[[step]]\nname = \"a\"\nfile = \"b.sql\"\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), doctest::Contains("step name a is used twice"),
                         ManifestError);
  }
  SUBCASE("a misspelt key is not silently ignored") {
    const auto path =
        manifest_in(dir, "[[step]]\nname = \"a\"\nfile = \"a.sql\"\ndepends = [\"b\"]\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), doctest::Contains("unknown key \"depends\""),
                         ManifestError);
  }
  SUBCASE("a step depending on itself") {
    const auto path =
        manifest_in(dir, "[[step]]\nname = \"a\"\nfile = \"a.sql\"\ndepends_on = [\"a\"]\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), "step a depends on itself", ManifestError);
  }
  SUBCASE("depends_on must be a list of names") {
    const auto path =
        manifest_in(dir, "[[step]]\nname = \"a\"\nfile = \"a.sql\"\ndepends_on = \"b\"\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), doctest::Contains("array of step names"),
                         ManifestError);
  }
  SUBCASE("a manifest without steps") {
    const auto path = manifest_in(dir, "# nothing yet\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), doctest::Contains("declares no [[step]]"),
                         ManifestError);
  }
  SUBCASE("absolute step paths are refused so the sql folder stays relocatable") {
    const auto path = manifest_in(dir, "[[step]]\nname = \"a\"\nfile = \"/etc/passwd\"\n");
    CHECK_THROWS_WITH_AS(load_manifest(path), doctest::Contains("must be relative"), ManifestError);
  }
}
