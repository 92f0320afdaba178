#include "core/csv/input_source.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "tests/core/csv/csv_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::csv {
namespace {

std::string drain(ByteSource& source, std::size_t read_size) {
  std::string out;
  std::string chunk(read_size, '\0');
  for (;;) {
    const std::size_t got = source.read(chunk.data(), chunk.size());
    if (got == 0) {
      return out;
    }
    out.append(chunk.data(), got);
  }
}

TEST_CASE("FileSource reads the whole file and reports its size and progress") {
  const std::string path = test::fixture_for_test("quoted_newline.csv");
  const std::string expected = test::slurp_for_test(path);
  FileSource source(path);
  CHECK(source.total_bytes() == expected.size());
  CHECK(source.bytes_consumed() == 0);
  CHECK_FALSE(source.starts_with_gzip_magic());
  CHECK(drain(source, 7) == expected);
  CHECK(source.bytes_consumed() == expected.size());
  CHECK(source.read(nullptr, 0) == 0);
}

TEST_CASE("a missing file is an InputError naming the path and the system's reason") {
  const std::string path = "/nonexistent/folder/traffic.csv";
  try {
    FileSource source(path);
    FAIL("opening a missing file did not throw");
  } catch (const InputError& error) {
    CHECK(error.path() == path);
    CHECK(std::string(error.what()) == path + ": cannot open: " + std::strerror(ENOENT));
  }
  CHECK_THROWS_AS(open_input(path), InputError);
}

TEST_CASE("a folder is not readable input") {
  dp::test::TempDir dir;
  CHECK_THROWS_WITH_AS(FileSource(dir.path().string()), doctest::Contains("is a directory"),
                       InputError);
}

TEST_CASE("MemorySource hands out its bytes in pieces") {
  MemorySource source("abcdefghij");
  CHECK(source.total_bytes() == 10);
  CHECK(drain(source, 3) == "abcdefghij");
  CHECK(source.bytes_consumed() == 10);
}

TEST_CASE("open_input chooses by content, not by name") {
  dp::test::TempDir dir;
  const std::string text = "a,b\n1,2\n";
  const auto gzip_named_csv = dir.path() / "looks_plain.csv";
  const auto plain_named_gz = dir.path() / "looks_compressed.csv.gz";
  test::write_file_for_test(gzip_named_csv, test::gzip_for_test(text));
  test::write_file_for_test(plain_named_gz, text);

  auto from_gzip = open_input(gzip_named_csv.string());
  CHECK(drain(*from_gzip, 1000) == text);
  auto from_plain = open_input(plain_named_gz.string());
  CHECK(drain(*from_plain, 1000) == text);

  // A one-byte file cannot hold the two magic bytes.
  const auto one_byte = dir.path() / "one_byte.csv";
  test::write_file_for_test(one_byte, "\x1f");
  CHECK(drain(*open_input(one_byte.string()), 10) == "\x1f");
}

}  // namespace
}  // namespace dp::csv
