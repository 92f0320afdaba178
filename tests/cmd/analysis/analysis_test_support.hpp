#pragma once

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "cmd/analysis_mode.hpp"
#include "tests/cmd/pipeline/pipeline_test_support.hpp"
#include "tests/core/analysis/analysis_db_support.hpp"

namespace dp::test {

namespace fs = std::filesystem;

/// The real sample files (samples/*/*.csv), as a user would drop them: every kind, once.
inline std::vector<fs::path> sample_files() {
  const auto data = samples_dir();
  const auto support = data / "support_desk";
  std::vector<fs::path> files = {
      data / "course_traffic" / "traffic_sources.csv",
      data / "course_traffic" / "user_traffic.csv",
      data / "course_traffic" / "marketing_data_with_days.csv",
      data / "habits" / "habit_records_sample.csv",
      data / "job_titles" / "2019_free_title_data.csv",
      support / "products.csv",
      support / "PrioritySLA.csv",
      support / "calendar.csv",
      support / "cases.csv",
      support / "logs.csv",
  };
  for (int year = 2010; year <= 2014; ++year) {
    files.push_back(support / ("analysts_" + std::to_string(year) + ".csv"));
  }
  return files;
}

/// `--analysis` through the function main() calls; returns the exit code, output in `output`.
inline int run_analysis_mode(const config::Settings& settings, std::string* output = nullptr) {
  std::ostringstream out;
  const int code = cmd::run_analysis(settings, out);
  if (output != nullptr) {
    *output = out.str();
  }
  return code;
}

/// The sample files loaded with `--ingest`, the warehouse built with `--pipeline`, then
/// `--analysis` run once: shared by the tests of one process (each is read-only on it).
class SampleAnalysis {
 public:
  static SampleAnalysis& instance() {
    static SampleAnalysis run;
    return run;
  }

  PipelineEnvironment& environment() { return environment_; }
  const std::string& output() const { return output_; }
  int exit_code() const { return exit_code_; }
  fs::path exports() { return environment_.settings().exports_dir / "analysis"; }

 private:
  SampleAnalysis() {
    environment_.ingest(sample_files());
    std::string pipeline_output;
    const int pipeline_code = environment_.pipeline(false, &pipeline_output);
    INFO(pipeline_output);
    REQUIRE(pipeline_code == 0);
    exit_code_ = run_analysis_mode(environment_.settings(), &output_);
  }

  PipelineEnvironment environment_;
  std::string output_;
  int exit_code_ = -1;
};

}  // namespace dp::test
