#include "core/log/logging.hpp"

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include "tests/support/temp_dir.hpp"

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

dp::config::Settings settings_logging_to(const std::filesystem::path& dir) {
  dp::config::Settings settings;
  settings.logs_dir = dir;
  return settings;
}

}  // namespace

TEST_CASE("setup_logging creates logs_dir and writes lines to dataprocessor.log") {
  dp::test::TempDir dir;
  const auto settings = settings_logging_to(dir.path() / "nested" / "logs");
  const auto file = dp::log::setup_logging(settings);
  REQUIRE(file.has_value());
  CHECK(*file == dir.path() / "nested" / "logs" / "dataprocessor.log");
  CHECK(std::filesystem::is_directory(settings.logs_dir));
  spdlog::info("loaded {} rows from {}", 42, "traffic.csv");
  spdlog::debug("a debug line that info level drops");
  const std::string text = read_text(*file);
  CHECK(text.find("loaded 42 rows from traffic.csv") != std::string::npos);
  CHECK(text.find("[dataprocessor]") != std::string::npos);
  CHECK(text.find("a debug line") == std::string::npos);
}

TEST_CASE("debug_logs lowers the level to debug") {
  dp::test::TempDir dir;
  auto settings = settings_logging_to(dir.path());
  settings.debug_logs = true;
  const auto file = dp::log::setup_logging(settings);
  REQUIRE(file.has_value());
  spdlog::debug("debug detail {}", 7);
  CHECK(read_text(*file).find("debug detail 7") != std::string::npos);
}

TEST_CASE("setup_logging can be called again and then writes to the new place") {
  dp::test::TempDir first;
  dp::test::TempDir second;
  const auto first_file = dp::log::setup_logging(settings_logging_to(first.path()));
  spdlog::info("first line");
  const auto second_file = dp::log::setup_logging(settings_logging_to(second.path()));
  spdlog::info("second line");
  REQUIRE(first_file.has_value());
  REQUIRE(second_file.has_value());
  CHECK(read_text(*first_file).find("second line") == std::string::npos);
  CHECK(read_text(*second_file).find("second line") != std::string::npos);
}

TEST_CASE("the log file rotates at log_max_file_bytes and keeps log_max_files") {
  dp::test::TempDir dir;
  auto settings = settings_logging_to(dir.path());
  settings.log_max_file_bytes = 64 * 1024;
  settings.log_max_files = 2;
  const auto file = dp::log::setup_logging(settings);
  REQUIRE(file.has_value());
  const std::string filler(1000, 'x');
  for (int i = 0; i < 400; ++i) {
    spdlog::info("line {} {}", i, filler);
  }
  CHECK(std::filesystem::file_size(*file) <= settings.log_max_file_bytes);
  CHECK(std::filesystem::exists(dir.path() / "dataprocessor.1.log"));
  CHECK(std::filesystem::exists(dir.path() / "dataprocessor.2.log"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "dataprocessor.3.log"));
}

TEST_CASE("when logs_dir cannot be created, logging goes on console-only") {
  dp::test::TempDir dir;
  const auto blocker = dir.path() / "not_a_folder";
  std::ofstream(blocker) << "a file where the folder should be";
  const auto file = dp::log::setup_logging(settings_logging_to(blocker / "logs"));
  CHECK_FALSE(file.has_value());
  CHECK_NOTHROW(spdlog::info("still logging"));
}

TEST_CASE("SQL echo writes statement text only when echo_sql is on") {
  dp::test::TempDir dir;
  auto settings = settings_logging_to(dir.path());
  const auto file = dp::log::setup_logging(settings);
  REQUIRE(file.has_value());
  CHECK_FALSE(dp::log::sql_echo_enabled());
  dp::log::log_sql("SELECT 'silent'");
  CHECK(read_text(*file).find("silent") == std::string::npos);

  settings.echo_sql = true;
  dp::log::setup_logging(settings);
  CHECK(dp::log::sql_echo_enabled());
  REQUIRE(dp::log::sql_logger() != nullptr);
  dp::log::log_sql("SELECT count(*) FROM staging.user_traffic");
  const std::string text = read_text(*file);
  CHECK(text.find("[sql] SELECT count(*) FROM staging.user_traffic") != std::string::npos);
}
