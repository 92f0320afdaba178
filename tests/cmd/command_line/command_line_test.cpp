#include "cmd/command_line.hpp"

#include <doctest/doctest.h>

using dp::cmd::CommandLine;
using dp::cmd::Mode;
using dp::cmd::parse_command_line;
using dp::cmd::UsageError;

namespace {

std::string usage_error(const std::vector<std::string>& args) {
  try {
    parse_command_line(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  FAIL("parse_command_line accepted a bad command line");
  return {};
}

}  // namespace

TEST_CASE("no arguments, or --watch, is watch mode") {
  CHECK(parse_command_line({}).mode == Mode::kWatch);
  CHECK(parse_command_line({"--watch"}).mode == Mode::kWatch);
}

TEST_CASE("every mode is selected by its flag") {
  CHECK(parse_command_line({"--pipeline"}).mode == Mode::kPipeline);
  CHECK(parse_command_line({"--analysis"}).mode == Mode::kAnalysis);
  CHECK(parse_command_line({"--init-db"}).mode == Mode::kInitDb);
  CHECK(parse_command_line({"--status"}).mode == Mode::kStatus);
  CHECK(parse_command_line({"--health"}).mode == Mode::kHealth);
  CHECK(parse_command_line({"--version"}).mode == Mode::kVersion);
  CHECK(parse_command_line({"--help"}).mode == Mode::kHelp);
  CHECK(parse_command_line({"-h"}).mode == Mode::kHelp);
  CHECK_FALSE(parse_command_line({"--pipeline"}).full);
  CHECK(parse_command_line({"--pipeline", "--full"}).full);
  CHECK(parse_command_line({"--full", "--pipeline"}).full);
  CHECK(parse_command_line({"--status", "--json"}).json);
}

TEST_CASE("--ingest and --check take files, and --limit") {
  const CommandLine ingest = parse_command_line({"--ingest", "a.csv", "dir/b.csv.gz"});
  CHECK(ingest.mode == Mode::kIngest);
  CHECK(ingest.files == std::vector<std::filesystem::path>{"a.csv", "dir/b.csv.gz"});
  CHECK_FALSE(ingest.limit.has_value());

  const CommandLine check = parse_command_line({"--check", "a.csv", "--limit", "100", "b.csv"});
  CHECK(check.mode == Mode::kCheck);
  CHECK(check.files == std::vector<std::filesystem::path>{"a.csv", "b.csv"});
  CHECK(check.limit == 100u);

  CHECK(parse_command_line({"--ingest", "--limit=5", "a.csv"}).limit == 5u);
  CHECK(parse_command_line({"--ingest", "--", "--odd-name.csv", "-"}).files ==
        std::vector<std::filesystem::path>{"--odd-name.csv", "-"});
}

TEST_CASE("--generate takes a kind, --rows, --out and optional --seed and --bad-rows") {
  const CommandLine line = parse_command_line({"--generate", "user_traffic", "--rows", "1000",
                                               "--out", "/tmp/gen", "--seed", "7", "--bad-rows=3"});
  CHECK(line.mode == Mode::kGenerate);
  CHECK(line.generate.kind == "user_traffic");
  CHECK(line.generate.rows == 1000u);
  CHECK(line.generate.out == "/tmp/gen");
  CHECK(line.generate.seed == 7u);
  CHECK(line.generate.bad_rows == 3u);

  const CommandLine defaults =
      parse_command_line({"--generate=orders", "--out", "o", "--rows", "0"});
  CHECK(defaults.generate.kind == "orders");
  CHECK(defaults.generate.rows == 0u);
  CHECK(defaults.generate.seed == 1u);
  CHECK(defaults.generate.bad_rows == 0u);
}

TEST_CASE("common options feed the settings sources") {
  const CommandLine line =
      parse_command_line({"--config", "settings.toml", "--pipeline", "--env-file=prod.env", "--set",
                          "workers=4", "--set", "dev=true"});
  CHECK(line.mode == Mode::kPipeline);
  const auto sources = line.settings_sources();
  CHECK(sources.config_file == std::filesystem::path("settings.toml"));
  CHECK(sources.env_file == std::filesystem::path("prod.env"));
  CHECK(sources.overrides == std::vector<std::string>{"workers=4", "dev=true"});
  CHECK(sources.read_environment);
  CHECK(sources.default_env_file == ".env");
}

TEST_CASE("main's argc/argv form skips the program name") {
  const char* argv[] = {"dataprocessor", "--ingest", "x.csv", nullptr};
  const CommandLine line = parse_command_line(3, argv);
  CHECK(line.mode == Mode::kIngest);
  CHECK(line.files == std::vector<std::filesystem::path>{"x.csv"});
}

TEST_CASE("--help wins over anything, even a broken command line") {
  CHECK(parse_command_line({"--ingest", "--bogus", "--help"}).mode == Mode::kHelp);
  CHECK(parse_command_line({"--version", "--help"}).mode == Mode::kHelp);
  CHECK(parse_command_line({"--ingest", "--", "--help"}).files ==
        std::vector<std::filesystem::path>{"--help"});
}

TEST_CASE("usage errors say what is wrong") {
  CHECK(usage_error({"--bogus"}) == "unknown option \"--bogus\"");
  CHECK(usage_error({"--pipeline", "--ingest", "a.csv"}) ==
        "only one mode may be given, not both --pipeline and --ingest");
  CHECK(usage_error({"--watch", "--watch"}) == "--watch is given more than once");
  CHECK(usage_error({"--ingest"}) == "--ingest needs at least one FILE");
  CHECK(usage_error({"--check", "--limit", "5"}) == "--check needs at least one FILE");
  CHECK(usage_error({"--config"}) == "--config needs a value");
  CHECK(usage_error({"--config", "--pipeline"}) == "--config needs a value");
  CHECK(usage_error({"--env-file="}) == "--env-file needs a non-empty value");
  CHECK(usage_error({"--generate", "k", "--out", "d"}) == "--generate needs --rows N");
  CHECK(usage_error({"--generate", "k", "--rows", "5"}) == "--generate needs --out DIR");
  CHECK(usage_error({"--generate", "--rows", "5", "--out", "d"}) == "--generate needs a value");
  CHECK(usage_error({"--generate", "k", "--rows", "five", "--out", "d"}) ==
        "--rows expects a whole number, got \"five\"");
  CHECK(usage_error({"--generate", "k", "--rows", "-5", "--out", "d"}) ==
        "--rows expects a whole number, got \"-5\"");
  CHECK(usage_error({"--generate", "k", "--rows", "2", "--bad-rows", "3", "--out", "d"}) ==
        "--bad-rows (3) cannot exceed --rows (2)");
  CHECK(usage_error({"--ingest", "a.csv", "--limit", "0"}) == "--limit must be at least 1, got 0");
  CHECK(usage_error({"--ingest", "a.csv", "--limit", "10x"}) ==
        "--limit expects a whole number, got \"10x\"");
  CHECK(usage_error({"--limit", "10"}) == "--limit can only be used with --ingest or --check");
  CHECK(usage_error({"--pipeline", "--limit", "10"}) ==
        "--limit can only be used with --ingest or --check");
  CHECK(usage_error({"--status", "--full"}) == "--full can only be used with --pipeline");
  CHECK(usage_error({"--pipeline", "--json"}) == "--json can only be used with --status");
  CHECK(usage_error({"--watch", "--rows", "3"}) ==
        "--rows can only be used with --generate or --infer");
  CHECK(usage_error({"--pipeline", "--full=yes"}) == "--full takes no value");
  CHECK(usage_error({"--pipeline", "stray"}) == "unexpected argument \"stray\"");
  CHECK(usage_error({"stray.csv"}) == "unexpected argument \"stray.csv\"");
  CHECK(usage_error({"--set", "workers"}) == "--set expects KEY=VALUE, got \"workers\"");
  CHECK(usage_error({"--set", "=4"}) == "--set expects KEY=VALUE, got \"=4\"");
}

TEST_CASE("--infer FILE [--name KIND] [--rows N]") {
  const auto line = parse_command_line({"--infer", "feed.csv", "--name", "orders", "--rows=50"});
  CHECK(line.mode == Mode::kInfer);
  CHECK(line.infer.file == "feed.csv");
  CHECK(line.infer.name == "orders");
  CHECK(line.infer.rows == 50);
  CHECK(parse_command_line({"--infer", "feed.csv"}).infer.rows == 20480);
  CHECK(usage_error({"--infer"}) == "--infer needs a value");
  CHECK(usage_error({"--infer", "a.csv", "--rows", "0"}) ==
        "--rows must be at least 1 with --infer");
  CHECK(usage_error({"--pipeline", "--name", "x"}) == "--name can only be used with --infer");
  CHECK(usage_error({"--infer", "a.csv", "b.csv"}) == "unexpected argument \"b.csv\"");
}
