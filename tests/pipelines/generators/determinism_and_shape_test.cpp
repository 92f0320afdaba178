// Generated files are the same bytes for a seed, and have exactly the samples' shapes.
#include <regex>

#include "tests/pipelines/generators/generator_test_support.hpp"

namespace dp::test {
namespace {

TEST_CASE("same seed gives the same bytes, another seed other bytes") {
  for (const std::string& name : pipelines::generator_names()) {
    CAPTURE(name);
    TempDir first;
    TempDir second;
    TempDir other;
    const auto a = generate(name, 5000, first.path(), 42);
    const auto b = generate(name, 5000, second.path(), 42);
    const auto c = generate(name, 5000, other.path(), 43);
    REQUIRE(a.size() == b.size());
    bool any_difference = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      CAPTURE(a[i].path.filename().string());
      CHECK(a[i].path.filename() == b[i].path.filename());
      CHECK(read_bytes(a[i].path) == read_bytes(b[i].path));
      any_difference = any_difference || read_bytes(a[i].path) != read_bytes(c[i].path);
    }
    // Reference data (calendar, SLA levels) does not depend on the seed; everything else does.
    if (name != "calendar" && name != "priority_sla" && name != "traffic_sources") {
      CHECK(any_difference);
    }
  }
}

/// A value's shape: digits as 9 and ASCII letters as A or a, so that `2024-07-30T23:27:05Z` and
/// `2023-01-01T00:00:00Z` compare equal while `2024-07-30 23:27:05` does not.
std::string value_shape(std::string_view text) {
  std::string shape(text);
  for (char& c : shape) {
    if (c >= '0' && c <= '9') {
      c = '9';
    } else if (c >= 'A' && c <= 'Z') {
      c = 'A';
    } else if (c >= 'a' && c <= 'z') {
      c = 'a';
    }
  }
  return shape;
}

/// The first `count` bytes of a file (enough for its first lines).
std::string head(const std::filesystem::path& path, std::size_t count = 4096) {
  std::string bytes = read_bytes(path);
  bytes.resize(std::min(bytes.size(), count));
  return bytes;
}

std::string first_line(const std::filesystem::path& path) {
  const std::string bytes = head(path);
  return bytes.substr(0, bytes.find('\n') + 1);
}

TEST_CASE("generated files have the samples' headers, line ends and quoting") {
  struct Pair {
    const char* kind;
    const char* generated;
    const char* sample;
  };
  const Pair pairs[] = {
      {"user_traffic", "user_traffic.csv", "course_traffic/user_traffic.csv"},
      {"marketing_daily", "marketing_data_with_days.csv",
       "course_traffic/marketing_data_with_days.csv"},
      {"traffic_sources", "traffic_sources.csv", "course_traffic/traffic_sources.csv"},
      {"title_data", "title_data.csv", "job_titles/2019_free_title_data.csv"},
      {"habit_records", "habit_records.csv", "habits/habit_records_sample.csv"},
      {"priority_sla", "PrioritySLA.csv", "support_desk/PrioritySLA.csv"},
  };
  for (const Pair& pair : pairs) {
    CAPTURE(pair.kind);
    TempDir dir;
    generate(pair.kind, 50, dir.path());
    const auto generated = dir.path() / pair.generated;
    const auto sample = sample_file(pair.sample);
    // Header byte for byte, line end included.
    CHECK(first_line(generated) == first_line(sample));
    const bool sample_crlf = head(sample).find("\r\n") != std::string::npos;
    CHECK((head(generated).find("\r\n") != std::string::npos) == sample_crlf);
    CHECK((head(generated).find('"') != std::string::npos) ==
          (head(sample).find('"') != std::string::npos));
  }
}

TEST_CASE("timestamps and dates are written exactly as the samples write them") {
  TempDir dir;
  generate("course_traffic", 200, dir.path());
  generate("habits", 200, dir.path());
  generate("support_desk", 200, dir.path());
  struct Column {
    const char* generated;
    const char* sample;
    std::size_t field;
  };
  // (file, sample, field index): the digit shape of that field on every generated line must be
  // one the sample uses.
  const Column columns[] = {
      {"user_traffic.csv", "course_traffic/user_traffic.csv", 2},
      {"user_traffic.csv", "course_traffic/user_traffic.csv", 3},
      {"marketing_data_with_days.csv", "course_traffic/marketing_data_with_days.csv", 2},
      {"habit_records.csv", "habits/habit_records_sample.csv", 10},
      {"analysts_2010.csv", "support_desk/analysts_2010.csv", 4},
      {"analysts_2012.csv", "support_desk/analysts_2012.csv", 5},
      {"cases_2011.csv", "support_desk/by_year/cases_2011.csv", 2},
      {"logs_2012.csv", "support_desk/by_year/logs_2012.csv", 0},
      {"calendar.csv", "support_desk/calendar.csv", 0},
  };
  const auto field_of = [](const std::string& line, std::size_t index) {
    // Quoted files are split on `","` (their lists such as "E,F,C" hold commas); the others
    // hold no comma inside a field in these columns.
    const bool quoted = !line.empty() && line.front() == '"';
    const std::string body = quoted ? line.substr(1, line.size() - 2) : line;
    const std::string separator = quoted ? "\",\"" : ",";
    std::size_t start = 0;
    for (std::size_t i = 0; i < index; ++i) {
      start = body.find(separator, start) + separator.size();
    }
    return body.substr(start, body.find(separator, start) - start);
  };
  for (const Column& column : columns) {
    CAPTURE(column.generated);
    CAPTURE(column.field);
    std::set<std::string> sample_shapes;
    for (const auto& line : read_lines(sample_file(column.sample))) {
      sample_shapes.insert(value_shape(field_of(line, column.field)));
    }
    const auto lines = read_lines(dir.path() / column.generated);
    REQUIRE(lines.size() > 2);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      const std::string shape = value_shape(field_of(lines[i], column.field));
      CAPTURE(lines[i]);
      CHECK(sample_shapes.count(shape) == 1);
    }
  }
}

TEST_CASE("the generated calendar over the sample's range is the sample, byte for byte") {
  TempDir dir;
  const auto files = generate("calendar", 4019, dir.path());
  REQUIRE(files.size() == 1);
  CHECK(read_bytes(files[0].path) == read_bytes(sample_file("support_desk/calendar.csv")));
}

TEST_CASE("the generated PrioritySLA.csv is the sample's") {
  TempDir dir;
  const auto files = generate("priority_sla", 3, dir.path());
  CHECK(read_bytes(files[0].path) == read_bytes(sample_file("support_desk/PrioritySLA.csv")));
}

}  // namespace
}  // namespace dp::test
