// A brand-new feed added at run time with files only, following docs/file-kinds.md ("Add your
// feed") block by block: a kind file dropped into kinds_dir and SIGHUP, a file of the feed
// loaded by the running service (real inotify), a warehouse step, an analysis view and its
// report.toml under a test sql_dir, built by --pipeline, exported and drawn by --analysis.
// Nothing is rebuilt, the service is never restarted.
#include <doctest/doctest.h>

#include <signal.h>

#include <regex>

#include "tests/cmd/watch/watch_fixture.hpp"

namespace dp::test {
namespace {

/// A block of the page: what to do with it (file, append, drop), where, and its text.
struct DocBlock {
  std::string action;
  std::string target;
  std::string text;
};

/// The blocks of "Add your feed" in docs/file-kinds.md, in page order: each fenced block right
/// after a `<!-- ACTION: TARGET -->` marker.
std::vector<DocBlock> feed_blocks() {
  const std::string page = read_file_text(fs::path(DP_SOURCE_DIR) / "docs" / "file-kinds.md");
  const std::string section = page.substr(page.find("## Add your feed"));
  const std::regex block(R"(<!-- (file|append|drop): (\S+) -->\n```[a-z]*\n([\s\S]*?)```)");
  std::vector<DocBlock> blocks;
  for (std::sregex_iterator it(section.begin(), section.end(), block), end; it != end; ++it) {
    blocks.push_back({(*it)[1].str(), (*it)[2].str(), (*it)[3].str()});
  }
  return blocks;
}

/// Applies the page's file/append blocks whose target starts with `prefix` under `root`.
void apply_blocks(const std::vector<DocBlock>& blocks, const fs::path& root,
                  const std::string& prefix) {
  for (const DocBlock& block : blocks) {
    if (block.action == "drop" || !block.target.starts_with(prefix)) {
      continue;
    }
    const fs::path path = root / block.target;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, block.action == "append" ? std::ios::app : std::ios::trunc);
    out << block.text;
  }
}

TEST_CASE("a new feed at run time, with files only: loaded, built, exported") {
  const auto blocks = feed_blocks();
  REQUIRE(blocks.size() == 6);

  WatchFixture fixture;
  // The test's own sql_dir: a copy of the shipped sql/, as the page says.
  const fs::path sql_dir = fixture.root() / "sql";
  fs::copy(fs::path(DP_SOURCE_DIR) / "sql", sql_dir, fs::copy_options::recursive);
  fs::create_directories(fixture.root() / "kinds");
  // kinds_dir is left at its default, kinds/ in the service's working folder.
  const std::vector<std::string> settings = {"sql_dir=" + sql_dir.string()};
  auto& service = fixture.start(settings);
  const auto one_shot = [&](const std::vector<std::string>& mode) {
    ProcessSpec spec;
    spec.args = mode;
    for (const auto& setting : fixture.args(settings)) {
      if (setting != "--watch") {
        spec.args.push_back(setting);
      }
    }
    spec.working_dir = fixture.root();
    spec.output_file = fixture.root() / (mode.front().substr(2) + ".out");
    spec.env = {{"DB_STRING", fixture.db().conninfo()}};
    return run_to_completion(spec);
  };

  // 1. Declare the kind; 2. SIGHUP.
  apply_blocks(blocks, fixture.root(), "kinds/");
  REQUIRE(::kill(service.pid(), SIGHUP) == 0);
  REQUIRE_MESSAGE(service.wait_for_output("12 kinds in force (were 11)", 30s), service.output());

  // 3. Drop a file of the feed.
  for (const DocBlock& block : blocks) {
    if (block.action == "drop") {
      fixture.drop(block.target, block.text);
    }
  }
  REQUIRE(
      fixture.wait_for("SELECT status || ' ' || pipeline || ' ' || rows_loaded || ' ' || "
                       "rows_rejected FROM ingest.files WHERE original_name = "
                       "'orders_acme_2024_07.csv'",
                       "loaded orders 10 1"));
  CHECK(fixture.scalar("SELECT string_agg(concat_ws('|', order_id, customer, status, "
                       "coalesce(amount::text, 'NULL'), partner), ' ' ORDER BY order_id) "
                       "FROM staging.orders WHERE order_id <= 1002") ==
        "1001|Ann|paid|120.50|acme 1002|Bo|open|NULL|acme");
  CHECK(fixture
            .scalar("SELECT message FROM ingest.rejects r JOIN ingest.files f USING (file_id) "
                    "WHERE f.original_name = 'orders_acme_2024_07.csv'")
            .find("\"lost\" is not an allowed value") != std::string::npos);

  // 4. A warehouse step, built by --pipeline.
  apply_blocks(blocks, fixture.root(), "sql/warehouse/");
  const auto pipeline = one_shot({"--pipeline"});
  INFO("--pipeline: exit " << pipeline.exit_code << "\n" << pipeline.out << pipeline.err);
  REQUIRE(pipeline.exit_code == 0);
  CHECK(fixture.scalar("SELECT count(*) || ' ' || sum(amount) FROM datawarehouse.fact_order") ==
        "10 374.24");
  CHECK(fixture.scalar("SELECT count(*) FROM datawarehouse.dim_date WHERE year = 2024") == "366");

  // --full empties the feed's table with every other one (000_reset finds it) and rebuilds it.
  const auto full = one_shot({"--pipeline", "--full"});
  INFO("--pipeline --full: exit " << full.exit_code << "\n" << full.out << full.err);
  REQUIRE(full.exit_code == 0);
  CHECK(fixture.scalar("SELECT count(*) || ' ' || min(inserted_batch) FROM "
                       "datawarehouse.fact_order") ==
        "10 " + fixture.scalar("SELECT max(batch_id) FROM datawarehouse.etl_runs"));

  // 5. An analysis view, exported by --analysis; 6. a chart and a table in its report.toml.
  apply_blocks(blocks, fixture.root(), "sql/analysis/");
  const auto analysis = one_shot({"--analysis"});
  INFO("--analysis: exit " << analysis.exit_code << "\n" << analysis.out << analysis.err);
  REQUIRE(analysis.exit_code == 0);
  CHECK(read_file_text(fixture.exports() / "analysis" / "orders_by_partner_month.csv") ==
        "partner,year,month,orders,revenue\nacme,2024,7,10,374.24\n");
  const std::string report = read_file_text(fixture.exports() / "analysis" / "report.html");
  CHECK(report.find("id=\"orders\"") != std::string::npos);
  CHECK(report.find("Order revenue per partner") != std::string::npos);
  CHECK(report.find("id=\"chart-orders-revenue\"") != std::string::npos);
  CHECK(report.find("374.24") != std::string::npos);

  // Never restarted: the same process took the feed in and still runs.
  CHECK(service.running());
  CHECK(fixture.stop() == 0);
}

}  // namespace
}  // namespace dp::test
