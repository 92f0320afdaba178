#include "core/csv/gzip_source.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <random>
#include <string>

#include "core/csv/csv_reader.hpp"
#include "tests/core/csv/csv_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::csv {
namespace {

/// Text that compresses into several deflate blocks, so corruption lands inside real data.
std::string traffic_text(int rows, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> user(1, 99999);
  std::string text = "user_id,source_id,referred_at,campaign_code\n";
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(user(random)) + "," + std::to_string(user(random) % 20) +
            ",2024-07-30T23:27:05Z,TAJD-" + std::to_string(user(random)) + "\n";
  }
  return text;
}

std::string read_through(const std::string& path, std::size_t read_size) {
  auto source = open_input(path);
  std::string out;
  std::string chunk(read_size, '\0');
  std::uint64_t last_progress = 0;
  bool progress_monotonic = true;
  for (;;) {
    const std::size_t got = source->read(chunk.data(), chunk.size());
    progress_monotonic = progress_monotonic && source->bytes_consumed() >= last_progress;
    last_progress = source->bytes_consumed();
    if (got == 0) {
      break;
    }
    out.append(chunk.data(), got);
  }
  CHECK(progress_monotonic);
  CHECK(source->bytes_consumed() == source->total_bytes());
  return out;
}

TEST_CASE("a gzip file made by the gzip command streams back its exact bytes") {
  dp::test::TempDir dir;
  const std::string text = traffic_text(50000, 1);
  const auto plain = dir.path() / "traffic.csv";
  test::write_file_for_test(plain, text);
  const std::string command = "gzip -k -6 '" + plain.string() + "'";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "the gzip command is needed: ", command);
  const std::string gz = plain.string() + ".gz";
  CHECK(read_through(gz, 1 << 20) == text);
  CHECK(read_through(gz, 1).size() == text.size());
  CHECK(read_through(gz, 4093) == text);
}

TEST_CASE("concatenated gzip members read as one stream") {
  dp::test::TempDir dir;
  const std::string first = traffic_text(3000, 2);
  const std::string second = "tail,row\n";
  const std::string third = traffic_text(10, 3);
  const auto path = dir.path() / "three_members.csv.gz";
  test::write_file_for_test(path, test::gzip_for_test(first) + test::gzip_for_test(second) +
                                      test::gzip_for_test("") + test::gzip_for_test(third));
  CHECK(read_through(path.string(), 65536) == first + second + third);
  CHECK(read_through(path.string(), 3) == first + second + third);
}

TEST_CASE("a corrupt gzip stream is an InputError naming the file") {
  dp::test::TempDir dir;
  std::string gz = test::gzip_for_test(traffic_text(20000, 4));
  for (std::size_t i = gz.size() / 2; i < gz.size() / 2 + 64; ++i) {
    gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  }
  const auto path = dir.path() / "corrupt.csv.gz";
  test::write_file_for_test(path, gz);
  const std::string expected = path.string() + ": corrupt gzip data";
  CHECK_THROWS_WITH_AS(read_through(path.string(), 65536), doctest::Contains(expected.c_str()),
                       InputError);
}

TEST_CASE("a truncated gzip file is an InputError, not a silently short input") {
  dp::test::TempDir dir;
  const std::string gz = test::gzip_for_test(traffic_text(20000, 5));
  const auto path = dir.path() / "truncated.csv.gz";
  test::write_file_for_test(path, gz.substr(0, gz.size() - 100));
  CHECK_THROWS_WITH_AS(read_through(path.string(), 65536), doctest::Contains("truncated gzip data"),
                       InputError);
  // Cut inside the 8-byte trailer: all data was there but the CRC cannot be checked.
  test::write_file_for_test(path, gz.substr(0, gz.size() - 4));
  CHECK_THROWS_AS(read_through(path.string(), 65536), InputError);
}

TEST_CASE("bytes after the last member that are not gzip are an error") {
  dp::test::TempDir dir;
  const auto path = dir.path() / "trailing_garbage.csv.gz";
  test::write_file_for_test(path, test::gzip_for_test("a,b\n") + "this is not gzip");
  CHECK_THROWS_AS(read_through(path.string(), 65536), InputError);
}

TEST_CASE("the CSV reader reads gzip input with progress in compressed bytes") {
  dp::test::TempDir dir;
  const std::string text = traffic_text(20000, 6);
  const auto path = dir.path() / "traffic.csv.gz";
  test::write_file_for_test(path, test::gzip_for_test(text));
  const auto expected = test::read_string_for_test(text);
  CsvReader reader(open_input(path.string()));
  CHECK(reader.total_bytes() == std::filesystem::file_size(path));
  CsvRow row;
  RowError error;
  std::size_t rows = 0;
  while (reader.next(row, error) == ReadStatus::kRow) {
    REQUIRE(rows < expected.size());
    CHECK(std::vector<std::string>(row.fields.begin(), row.fields.end()) == expected[rows].fields);
    CHECK(row.byte_offset == expected[rows].byte_offset);
    ++rows;
  }
  CHECK(rows == 20001);
  CHECK(reader.bytes_consumed() == reader.total_bytes());
}

}  // namespace
}  // namespace dp::csv
