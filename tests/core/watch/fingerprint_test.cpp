// The content hash the ledger relies on, against known SHA-256 values and sha256sum.

#include "core/watch/fingerprint.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <system_error>

#include "tests/core/watch/watch_test_support.hpp"

namespace dp::watch {
namespace {

using testing::TempDir;
using testing::write_file_for_test;

std::string sha256sum_of(const std::filesystem::path& path) {
  const std::string command = "sha256sum '" + path.string() + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  REQUIRE(pipe != nullptr);
  std::array<char, 65> hex{};
  REQUIRE(std::fread(hex.data(), 1, 64, pipe.get()) == 64);
  return std::string(hex.data(), 64);
}

TEST_CASE("the fixture holding \"abc\" hashes to the FIPS 180-2 test vector") {
  const std::filesystem::path fixture =
      std::filesystem::path(DP_TEST_DATA_DIR) / "watch" / "abc_no_newline.txt";
  REQUIRE(std::filesystem::file_size(fixture) == 3);
  CHECK(fingerprint_file(fixture) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("an empty file hashes to the SHA-256 of nothing") {
  TempDir dir;
  write_file_for_test(dir / "empty.csv", "");
  CHECK(fingerprint_file(dir / "empty.csv") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("a file larger than several read blocks matches sha256sum") {
  TempDir dir;
  std::string content;
  content.reserve(3 * 1024 * 1024 + 12345);
  for (std::size_t i = 0; content.size() < 3 * 1024 * 1024 + 12345; ++i) {
    content += std::to_string(i * 2654435761u) + ",row " + std::to_string(i) + "\n";
  }
  content.resize(3 * 1024 * 1024 + 12345);
  write_file_for_test(dir / "big.csv", content);
  const std::string hash = fingerprint_file(dir / "big.csv");
  CHECK(hash.size() == 64);
  CHECK(hash == sha256sum_of(dir / "big.csv"));
}

TEST_CASE("the same bytes under another name give the same fingerprint, one byte more does not") {
  TempDir dir;
  write_file_for_test(dir / "a.csv", "id,value\n1,2\n");
  write_file_for_test(dir / "renamed.csv", "id,value\n1,2\n");
  write_file_for_test(dir / "longer.csv", "id,value\n1,2\n\n");
  CHECK(fingerprint_file(dir / "a.csv") == fingerprint_file(dir / "renamed.csv"));
  CHECK(fingerprint_file(dir / "a.csv") != fingerprint_file(dir / "longer.csv"));
}

TEST_CASE("fingerprinting a missing file is an error") {
  TempDir dir;
  CHECK_THROWS_AS(fingerprint_file(dir / "gone.csv"), std::system_error);
}

}  // namespace
}  // namespace dp::watch
