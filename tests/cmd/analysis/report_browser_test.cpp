// report.html in a real browser (Debian's chromium, headless, kept off the network): the page
// renders every chart's SVG, logs nothing to the console, and a screenshot is produced. A
// page with a script error proves the console check can fail.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>

#include "core/analysis/report_spec.hpp"
#include "core/util/process.hpp"
#include "tests/cmd/analysis/analysis_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace dp::test;
namespace fs = std::filesystem;

namespace {

/// What chromium did with a page.
struct BrowserRun {
  int exit_code = -1;
  /// Standard output (the DOM with --dump-dom) and the browser's log, interleaved.
  std::string output;
};

/// Runs headless chromium on `page` with the flags that keep it off the network, a fresh
/// profile and console logging on; `action` is --dump-dom or --screenshot=FILE.
BrowserRun run_chromium(const fs::path& page, const std::string& action) {
  const auto chromium = dp::util::find_on_path("chromium");
  REQUIRE_MESSAGE(!chromium.empty(),
                  "chromium is not installed (apt-get install -y chromium; "
                  "scripts/install-deps.sh --test installs it)");
  TempDir profile;
  const std::vector<std::string> argv = {"timeout",
                                         "180",
                                         chromium.string(),
                                         "--headless",
                                         "--no-sandbox",
                                         "--disable-gpu",
                                         "--disable-quic",
                                         "--no-first-run",
                                         "--disable-background-networking",
                                         "--disable-component-update",
                                         "--disable-sync",
                                         "--user-data-dir=" + profile.path().string(),
                                         "--enable-logging=stderr",
                                         "--v=0",
                                         "--window-size=1280,2400",
                                         action,
                                         "file://" + fs::absolute(page).string()};
  const auto result = dp::util::run_process(argv);
  return {result.exit_code, result.output};
}

/// Console messages the page produced (chromium logs them as `...:CONSOLE...] "message"`): the
/// report has no script, so any message is an error (a script error, a blocked fetch).
std::vector<std::string> console_messages(const std::string& log) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < log.size()) {
    auto end = log.find('\n', start);
    if (end == std::string::npos) {
      end = log.size();
    }
    const auto line = log.substr(start, end - start);
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) {
      out.push_back(line);
    }
    start = end + 1;
  }
  return out;
}

/// The inline <svg> element with `id` in the dumped DOM (empty when absent).
std::string svg_in_dom(const std::string& dom, const std::string& id) {
  const auto start = dom.find("<svg id=\"" + id + "\"");
  if (start == std::string::npos) {
    return {};
  }
  const auto end = dom.find("</svg>", start);
  return end == std::string::npos ? std::string() : dom.substr(start, end + 6 - start);
}

/// Width and height from a PNG's IHDR chunk; {0, 0} when the file is not a PNG.
std::pair<std::uint32_t, std::uint32_t> png_size(const fs::path& path) {
  const auto bytes = read_text_file(path);
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    return {0, 0};
  }
  const auto be32 = [&](std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      value = (value << 8U) | static_cast<unsigned char>(bytes[at + i]);
    }
    return value;
  };
  return {be32(16), be32(20)};
}

void check_renders_cleanly(const fs::path& page, bool with_data) {
  const auto dom = run_chromium(page, "--dump-dom");
  INFO(dom.output.substr(0, 4000));
  REQUIRE(dom.exit_code == 0);
  CHECK(console_messages(dom.output).empty());
  const auto ids =
      dp::analysis::chart_ids(dp::analysis::load_report_spec(source_sql_dir() / "analysis"));
  REQUIRE(ids.size() >= 10);
  for (const auto& id : ids) {
    CAPTURE(id);
    const auto svg = svg_in_dom(dom.output, id);
    REQUIRE_FALSE(svg.empty());
    CHECK(svg.find("class=\"chart-title\"") != std::string::npos);
    CHECK(svg.find("class=\"axis-label\"") != std::string::npos);
    // With data every chart draws marks; without, each says so.
    CHECK((svg.find("No data yet") == std::string::npos) == with_data);
  }
  CHECK((dom.output.find("id=\"no-data\"") == std::string::npos) == with_data);
}

}  // namespace

TEST_CASE("the console check catches a page that fails in the browser") {
  TempDir dir;
  const auto page = dir.path() / "broken.html";
  std::ofstream(page) << "<!DOCTYPE html><html><body><p>x</p>"
                         "<script>undefinedFunction();</script></body></html>";
  const auto run = run_chromium(page, "--dump-dom");
  REQUIRE(run.exit_code == 0);
  const auto messages = console_messages(run.output);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].find("undefinedFunction") != std::string::npos);
}

TEST_CASE("the sample report renders every chart without console errors and screenshots") {
  auto& run = SampleAnalysis::instance();
  REQUIRE(run.exit_code() == 0);
  const auto page = run.exports() / "report.html";
  check_renders_cleanly(page, true);

  // The page and its screenshot stay in the build folder for people (and CI artifacts) to see.
  fs::copy_file(page, fs::path(DP_TEST_BUILD_DIR) / "analysis-report.html",
                fs::copy_options::overwrite_existing);
  const auto screenshot = fs::path(DP_TEST_BUILD_DIR) / "analysis-report.png";
  fs::remove(screenshot);
  const auto shot = run_chromium(page, "--screenshot=" + screenshot.string());
  INFO(shot.output.substr(0, 4000));
  REQUIRE(shot.exit_code == 0);
  CHECK(console_messages(shot.output).empty());
  REQUIRE(fs::exists(screenshot));
  CHECK(png_size(screenshot) == std::pair<std::uint32_t, std::uint32_t>{1280, 2400});
  CHECK(fs::file_size(screenshot) > 50 * 1024);  // charts, not a blank page
}

TEST_CASE("the empty report renders cleanly and says there is no data yet") {
  PipelineEnvironment environment;
  REQUIRE(run_analysis_mode(environment.settings()) == 0);
  const auto page = environment.settings().exports_dir / "analysis" / "report.html";
  check_renders_cleanly(page, false);
  fs::copy_file(page, fs::path(DP_TEST_BUILD_DIR) / "analysis-report-empty.html",
                fs::copy_options::overwrite_existing);
}
