// User kinds from kinds_dir through the real binary: --kinds lists them with their source file,
// an invalid kind file stops start-up with exit code 2 naming file, line and key, and a user
// kind's files load into a staging table created on first use.
#include <doctest/doctest.h>

#include "tests/cmd/ingest/ingest_fixture.hpp"

namespace dp::test {
namespace {

constexpr const char* kOrdersKind = R"toml(name = "orders"
description = "partner orders"
patterns = ["orders_*.csv"]

[[columns]]
name = "order_id"
type = "bigint"
required = true
from = "order_id"

[[columns]]
name = "amount"
type = "numeric(10,2)"
from = "amount"
)toml";

/// A fixture whose kinds_dir is <root>/kinds.
class KindsFixture : public OneShotFixture {
 public:
  KindsFixture() { fs::create_directories(kinds()); }
  fs::path kinds() const { return root() / "kinds"; }
  void write_kind(const std::string& name, const std::string& text) const {
    std::ofstream(kinds() / name) << text;
  }
  CompletedProcess run_with_kinds(std::vector<std::string> args) const {
    args.push_back("--set");
    args.push_back("kinds_dir=" + kinds().string());
    return run(args);
  }
};

TEST_CASE("--kinds lists the built-in kinds and kinds_dir's, each with its source file") {
  KindsFixture fixture;
  fixture.write_kind("orders.toml", kOrdersKind);
  const auto run = fixture.run_with_kinds({"--kinds"});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("12 kinds") != std::string::npos);
  CHECK(run.out.find("source built-in pipelines/course_traffic/user_traffic.toml") !=
        std::string::npos);
  CHECK(run.out.find("orders ") != std::string::npos);
  CHECK(run.out.find("source " + (fixture.kinds() / "orders.toml").string()) != std::string::npos);
}

TEST_CASE("the built-in kinds travel inside the binary: a copy elsewhere knows all eleven") {
  KindsFixture fixture;
  const fs::path copy = fixture.root() / "elsewhere" / "dataprocessor";
  fs::create_directories(copy.parent_path());
  fs::copy_file(DP_BINARY_PATH, copy);
  ProcessSpec spec;
  spec.binary = copy;
  spec.args = {"--kinds", "--set", "kinds_dir=" + fixture.kinds().string()};
  spec.working_dir = copy.parent_path();
  spec.output_file = fixture.root() / "copy.out";
  const auto run = run_to_completion(spec);
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.starts_with("11 kinds"));
  CHECK(run.out.find("source built-in pipelines/support_desk/calendar.toml") != std::string::npos);
}

TEST_CASE("an invalid kind file stops every mode with exit code 2, naming file, line and key") {
  KindsFixture fixture;
  std::string bad = kOrdersKind;
  bad.replace(bad.find("\"bigint\""), 8, "\"big_int\"");
  fixture.write_kind("orders.toml", bad);
  const std::string where = (fixture.kinds() / "orders.toml").string() +
                            ":7: columns[1].type: " + "unknown type \"big_int\"";
  const std::vector<std::vector<std::string>> modes = {
      {"--kinds"}, {"--ingest", fixture.data_file("x.csv", "a\n1\n").string()}, {"--watch"}};
  for (const auto& args : modes) {
    const auto run = fixture.run_with_kinds(args);
    INFO(args.front() << "\n" << describe(run));
    CHECK(run.exit_code == 2);
    CHECK(run.err.find(where) != std::string::npos);
  }
}

TEST_CASE("a user kind's file loads into its staging table, created on first use") {
  KindsFixture fixture;
  fixture.write_kind("orders.toml", kOrdersKind);
  const auto file = fixture.data_file("orders_1.csv", "order_id,amount\n1,2.5\n2,\n3,x\n");
  const auto run =
      fixture.run_with_kinds({"--ingest", file.string(), "--set", "max_reject_ratio=0.5"});
  INFO(describe(run));
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("loaded 2 rows into orders, 1 rejected") != std::string::npos);
  CHECK(fixture.scalar("SELECT string_agg(order_id || ':' || coalesce(amount::text, 'NULL'), "
                       "' ' ORDER BY order_id) FROM staging.orders") == "1:2.50 2:NULL");
  CHECK(fixture.scalar("SELECT count(*) FROM pg_indexes WHERE schemaname = 'staging' AND "
                       "indexname = 'orders_file_id_brin'") == "1");
}

}  // namespace
}  // namespace dp::test
