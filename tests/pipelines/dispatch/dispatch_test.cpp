// Which kind each sample file reaches: by name, and by header where the name does not tell.
#include <doctest/doctest.h>

#include <map>

#include "core/ingest/dispatcher.hpp"
#include "tests/pipelines/kind_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::test {
namespace {

/// Every sample file and the kind it must reach (paths under samples/).
const std::map<std::string, std::string>& expected_kinds() {
  static const std::map<std::string, std::string> kinds = {
      {"course_traffic/traffic_sources.csv", "traffic_sources"},
      {"habits/habit_records_sample.csv", "habit_records"},
      {"course_traffic/marketing_data_with_days.csv", "marketing_daily"},
      {"course_traffic/user_traffic.csv", "user_traffic"},
      {"job_titles/2019_free_title_data.csv", "title_data"},
      {"support_desk/PrioritySLA.csv", "priority_sla"},
      {"support_desk/analysts_2010.csv", "analyst_snapshots"},
      {"support_desk/analysts_2011.csv", "analyst_snapshots"},
      {"support_desk/analysts_2012.csv", "analyst_snapshots"},
      {"support_desk/analysts_2013.csv", "analyst_snapshots"},
      {"support_desk/analysts_2014.csv", "analyst_snapshots"},
      {"support_desk/calendar.csv", "calendar"},
      {"support_desk/cases.csv", "cases"},
      {"support_desk/by_year/cases_2011.csv", "cases"},
      {"support_desk/by_year/cases_2012.csv", "cases"},
      {"support_desk/by_year/cases_2013.csv", "cases"},
      {"support_desk/by_year/cases_2014.csv", "cases"},
      {"support_desk/logs.csv", "case_logs"},
      {"support_desk/by_year/logs_2011.csv", "case_logs"},
      {"support_desk/by_year/logs_2012.csv", "case_logs"},
      {"support_desk/by_year/logs_2013.csv", "case_logs"},
      {"support_desk/by_year/logs_2014.csv", "case_logs"},
      {"support_desk/products.csv", "products"},
  };
  return kinds;
}

TEST_CASE("the registry lists every kind once, each named like its staging table") {
  const auto& all = all_kinds().all();
  REQUIRE(all.size() == 11);
  for (const auto& pipeline : all) {
    CAPTURE(pipeline->name());
    CHECK(pipeline->name() == pipeline->staging_model().table);
    CHECK_FALSE(pipeline->file_patterns().empty());
  }
  pipeline::PipelineRegistry twice;
  pipelines::register_all_pipelines(twice);
  CHECK_THROWS_AS(pipelines::register_all_pipelines(twice), std::logic_error);
}

TEST_CASE("every sample file reaches exactly one kind by its name") {
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(sample_file(""))) {
    if (!entry.is_regular_file() || entry.path().extension() != ".csv") {
      continue;
    }
    ++seen;
    const std::string relative =
        std::filesystem::relative(entry.path(), sample_file("")).generic_string();
    CAPTURE(relative);
    const auto expected = expected_kinds().find(relative);
    REQUIRE_MESSAGE(expected != expected_kinds().end(), "a sample file this test does not know");
    const auto by_name = all_kinds().match_name(entry.path().filename().string());
    REQUIRE(by_name.size() == 1);
    CHECK(by_name.front()->name() == expected->second);
    const auto dispatched = ingest::dispatch(all_kinds(), entry.path());
    REQUIRE_MESSAGE(dispatched.pipeline != nullptr, dispatched.reason);
    CHECK(dispatched.pipeline->name() == expected->second);
  }
  CHECK(seen == expected_kinds().size());
}

TEST_CASE("names match case-insensitively, with suffixes, and gzip-compressed") {
  const std::map<std::string, std::string> names = {
      {"USER_TRAFFIC.CSV", "user_traffic"},
      {"user_traffic_2025-06.csv.gz", "user_traffic"},
      {"marketing_2024.csv", "marketing_daily"},
      {"Traffic_Sources.csv", "traffic_sources"},
      {"2020_paid_title_data_v2.csv", "title_data"},
      {"habit_records_2024-01.csv.GZ", "habit_records"},
      {"analysts.csv", "analyst_snapshots"},
      {"analysts_2015.csv.gz", "analyst_snapshots"},
      {"cases_2015.csv", "cases"},
      {"logs_2015.csv", "case_logs"},
      {"products.csv", "products"},
      {"prioritysla.csv", "priority_sla"},
      {"calendar_2030.csv", "calendar"},
  };
  for (const auto& [name, expected] : names) {
    CAPTURE(name);
    const auto matches = all_kinds().match_name(name);
    REQUIRE(matches.size() == 1);
    CHECK(matches.front()->name() == expected);
  }
  CHECK(all_kinds().match_name("user_traffic.txt").empty());
  CHECK(all_kinds().match_name("traffic.csv").empty());
}

TEST_CASE("title data, habit dumps and the other headed kinds are found by header alone") {
  const std::map<std::string, std::string> samples = {
      {"job_titles/2019_free_title_data.csv", "title_data"},
      {"habits/habit_records_sample.csv", "habit_records"},
      {"support_desk/PrioritySLA.csv", "priority_sla"},
      {"course_traffic/user_traffic.csv", "user_traffic"},
      {"course_traffic/marketing_data_with_days.csv", "marketing_daily"},
      {"course_traffic/traffic_sources.csv", "traffic_sources"},
  };
  TempDir dir;
  int count = 0;
  for (const auto& [relative, expected] : samples) {
    CAPTURE(relative);
    // A name no pattern claims, as when a user renames an export.
    const auto renamed = dir.path() / ("export_" + std::to_string(++count) + ".csv");
    std::filesystem::copy_file(sample_file(relative), renamed);
    REQUIRE(all_kinds().match_name(renamed.filename().string()).empty());
    const auto dispatched = ingest::dispatch(all_kinds(), renamed);
    REQUIRE_MESSAGE(dispatched.pipeline != nullptr, dispatched.reason);
    CHECK(dispatched.pipeline->name() == expected);
  }
}

TEST_CASE("a headerless extract under a foreign name matches nothing and says why") {
  TempDir dir;
  const auto renamed = dir.path() / "extract.csv";
  std::filesystem::copy_file(sample_file("support_desk/by_year/cases_2011.csv"), renamed);
  const auto dispatched = ingest::dispatch(all_kinds(), renamed);
  CHECK(dispatched.pipeline == nullptr);
  CHECK(dispatched.reason.find("no kind matches") != std::string::npos);
}

TEST_CASE("each headed kind's signature names the columns its model reads") {
  // A header signature that drifted from the model would send files to a kind that then
  // fails them for a missing column.
  for (const auto& pipeline : all_kinds().all()) {
    const auto signature = pipeline->header_signature();
    if (signature.empty() || pipeline->name() == "title_data") {
      continue;
    }
    CAPTURE(pipeline->name());
    CHECK_NOTHROW(pipeline->make_converter({}, &signature, pipeline::ExtraColumns::kFail));
  }
}

}  // namespace
}  // namespace dp::test
