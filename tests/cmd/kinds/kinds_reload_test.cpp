// SIGHUP re-reads kinds_dir in the running service: a kind added as a file takes the files it
// claims from then on, without a restart; a bad kind file keeps the kinds in force and says why.
#include <doctest/doctest.h>

#include <signal.h>

#include "tests/cmd/watch/watch_fixture.hpp"

namespace dp::test {
namespace {

constexpr const char* kOrdersKind = R"toml(name = "orders"
patterns = ["orders_*.csv"]

[[columns]]
name = "order_id"
type = "bigint"
required = true
from = "order_id"

[[columns]]
name = "customer"
type = "text"
from = "customer"
)toml";

TEST_CASE("SIGHUP puts a kind file dropped into kinds_dir in force, a bad one keeps the old set") {
  WatchFixture fixture;
  const fs::path kinds = fixture.root() / "kinds";
  fs::create_directories(kinds);
  auto& service = fixture.start({"kinds_dir=" + kinds.string()});

  // Before the kind exists, its file has no kind.
  fixture.drop("orders_early.csv", "order_id,customer\n1,ann\n");
  REQUIRE(
      fixture.wait_for("SELECT status FROM ingest.files WHERE original_name = "
                       "'orders_early.csv'",
                       "failed"));

  write_file(kinds / "orders.toml", kOrdersKind);
  REQUIRE(::kill(service.pid(), SIGHUP) == 0);
  REQUIRE(service.wait_for_output("12 kinds in force (were 11)", 30s));
  fixture.drop("orders_1.csv", "order_id,customer\n1,ann\n2,bo\n");
  CHECK(
      fixture.wait_for("SELECT status || ' ' || pipeline FROM ingest.files WHERE "
                       "original_name = 'orders_1.csv'",
                       "loaded orders"));
  CHECK(fixture.scalar("SELECT string_agg(customer, ',' ORDER BY order_id) FROM staging.orders") ==
        "ann,bo");

  // A second kind claiming the same files: refused, the set in force stays.
  std::string clash = kOrdersKind;
  clash.replace(clash.find("\"orders\""), 8, "\"orders_copy\"");
  write_file(kinds / "orders_copy.toml", clash);
  REQUIRE(::kill(service.pid(), SIGHUP) == 0);
  REQUIRE(service.wait_for_output("failed, keeping the 12 kinds in force", 30s));
  CHECK(service.output().find((kinds / "orders_copy.toml").string() + ":2: patterns: ") !=
        std::string::npos);
  fixture.drop("orders_2.csv", "order_id,customer\n3,cy\n");
  CHECK(
      fixture.wait_for("SELECT status || ' ' || pipeline FROM ingest.files WHERE "
                       "original_name = 'orders_2.csv'",
                       "loaded orders"));
  CHECK(service.running());
  CHECK(fixture.stop() == 0);
}

TEST_CASE(
    "SIGHUP with a column added to a kind adds it to the staging table; a removed one is "
    "refused") {
  WatchFixture fixture;
  const fs::path kinds = fixture.root() / "kinds";
  fs::create_directories(kinds);
  write_file(kinds / "orders.toml", kOrdersKind);
  auto& service = fixture.start({"kinds_dir=" + kinds.string()});
  fixture.drop("orders_1.csv", "order_id,customer\n1,ann\n");
  REQUIRE(fixture.wait_for("SELECT status FROM ingest.files WHERE original_name = 'orders_1.csv'",
                           "loaded"));

  write_file(kinds / "orders.toml", std::string(kOrdersKind) +
                                        "\n[[columns]]\nname = \"note\"\ntype = \"text\"\n"
                                        "from = \"note\"\n");
  REQUIRE(::kill(service.pid(), SIGHUP) == 0);
  REQUIRE(service.wait_for_output("12 kinds in force (were 12)", 30s));
  CHECK(fixture.scalar("SELECT column_name || ' ' || column_type || ' ' || kind_source FROM "
                       "ingest.staging_schema_changes") ==
        "note text " + (kinds / "orders.toml").string());
  fixture.drop("orders_2.csv", "order_id,customer,note\n2,bo,rush\n");
  CHECK(
      fixture.wait_for("SELECT string_agg(order_id || ':' || coalesce(note, 'NULL'), ' ' ORDER "
                       "BY order_id) FROM staging.orders",
                       "1:NULL 2:rush"));

  // Dropping the column again is refused: the loaded notes stay, the set in force stays.
  write_file(kinds / "orders.toml", kOrdersKind);
  REQUIRE(::kill(service.pid(), SIGHUP) == 0);
  REQUIRE(service.wait_for_output("failed, keeping the 12 kinds in force", 30s));
  CHECK(service.output().find("staging.orders has column note (text) that kind orders no longer "
                              "declares") != std::string::npos);
  fixture.drop("orders_3.csv", "order_id,customer,note\n3,cy,later\n");
  CHECK(fixture.wait_for("SELECT count(*) FROM staging.orders WHERE note = 'later'", "1"));
  CHECK(fixture.stop() == 0);
}

}  // namespace
}  // namespace dp::test
