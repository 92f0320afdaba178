// Throughput of the reader alone on a ~100 MB course-traffic-like file. Skipped by default (no
// timing assertions in tests); run with:
//   dp_core_csv_tests --no-skip --test-case='*throughput*' --success=false
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "core/csv/csv_reader.hpp"
#include "tests/core/csv/csv_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::csv {
namespace {

/// Rows like `478,8,2024-07-30T23:27:05Z,TAJD-2024-2023`, about 100 MB in all.
std::string course_traffic(std::size_t target_bytes) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<int> user(1, 99999);
  std::uniform_int_distribution<int> source(1, 40);
  std::uniform_int_distribution<int> day(1, 28);
  std::uniform_int_distribution<int> second(0, 86399);
  std::uniform_int_distribution<int> letter(0, 25);
  std::string text = "user_id,source_id,referred_at,campaign_code\n";
  text.reserve(target_bytes + 128);
  char line[128];
  while (text.size() < target_bytes) {
    const int s = second(random);
    const int length =
        std::snprintf(line, sizeof line, "%d,%d,2024-07-%02dT%02d:%02d:%02dZ,%c%c%c%c-2024-%d\n",
                      user(random), source(random), day(random), s / 3600, s / 60 % 60, s % 60,
                      'A' + letter(random), 'A' + letter(random), 'A' + letter(random),
                      'A' + letter(random), 2000 + user(random) % 100);
    text.append(line, static_cast<std::size_t>(length));
  }
  return text;
}

void measure(const std::string& label, const std::string& path, std::uint64_t bytes) {
  double best_seconds = 1e9;
  std::uint64_t rows = 0;
  for (int round = 0; round < 3; ++round) {
    const auto start = std::chrono::steady_clock::now();
    CsvReader reader(open_input(path));
    CsvRow row;
    RowError error;
    std::uint64_t count = 0;
    std::uint64_t field_bytes = 0;
    while (reader.next(row, error) == ReadStatus::kRow) {
      ++count;
      field_bytes += row.fields[3].size();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best_seconds = std::min(best_seconds, seconds);
    rows = count;
    REQUIRE(field_bytes > 0);
  }
  MESSAGE(label << ": " << bytes / 1e6 << " MB, " << rows << " rows in " << best_seconds
                << " s (best of 3): " << bytes / 1e6 / best_seconds << " MB/s, "
                << rows / best_seconds / 1e6 << " M rows/s");
}

TEST_CASE("throughput of the CSV reader on course traffic" * doctest::skip()) {
  dp::test::TempDir dir;
  const std::string text = course_traffic(100U * 1000U * 1000U);
  const auto plain = dir.path() / "course_traffic.csv";
  test::write_file_for_test(plain, text);
  measure("plain", plain.string(), text.size());
  const auto gz = dir.path() / "course_traffic.csv.gz";
  test::write_file_for_test(gz, test::gzip_for_test(text));
  measure("gzip", gz.string(), text.size());
}

}  // namespace
}  // namespace dp::csv
