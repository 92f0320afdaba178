// End to end: a stray quote fails the whole file. Every byte after an unterminated quote is one
// field, so no later record boundary is known; loading the rows before it and calling the file
// loaded would silently drop the rest (issue 12, item 2).
#include <doctest/doctest.h>

#include "tests/cmd/ingest/ingest_fixture.hpp"

using namespace dp::test;

namespace {

/// Header, rows 1-49, `50,1,2024-07-30T23:27:05Z,"oops`, rows 51-100000: the quote opens on
/// line 51 and swallows the remaining 99,951 lines.
std::string stray_quote_file() {
  return "user_id,source_id,referred_at,campaign_code\n" + traffic_rows(49, 1) +
         "50,1,2024-07-30T23:27:05Z,\"oops\n" + traffic_rows(99950, 51);
}

}  // namespace

TEST_CASE(
    "--ingest of a file with a stray quote: failed, nothing loaded, the reason names line 51") {
  OneShotFixture fx;
  const auto file = fx.data_file("user_traffic_stray_quote.csv", stray_quote_file());
  const auto run = fx.run({"--ingest", file.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("user_traffic_stray_quote.csv: failed: line 51:") != std::string::npos);
  CHECK(run.out.find("swallowed 99951 lines") != std::string::npos);
  CHECK(fx.scalar("SELECT status FROM ingest.files") == "failed");
  CHECK(fx.scalar("SELECT count(*) FROM ingest.files") == "1");
  CHECK(fx.scalar("SELECT error FROM ingest.files").rfind("line 51: a quoted field", 0) == 0);
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "0");
  CHECK(fx.scalar("SELECT string_agg(reason || '@' || line, ',') FROM ingest.rejects") ==
        "unterminated_quote@51");
}

TEST_CASE("one record spanning many lines counts as those lines against max_reject_ratio") {
  OneShotFixture fx;
  // A closed quote that holds 30 of the file's 100 data lines: one record, 30% of the lines.
  std::string swallowed;
  for (int i = 0; i < 29; ++i) {
    swallowed += "line " + std::to_string(i) + "\n";
  }
  const auto file =
      fx.data_file("user_traffic_long_quoted.csv",
                   "user_id,source_id,referred_at,campaign_code\n" + traffic_rows(70, 1) +
                       "71,1,2024-07-30T23:27:05Z,\"" + swallowed + "\",extra\n");
  const auto run = fx.run({"--ingest", file.string()});
  INFO(describe(run));
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("spanning 30 of 100 lines (30.0%)") != std::string::npos);
  CHECK(fx.scalar("SELECT count(*) FROM staging.user_traffic") == "0");
}
