// OpenedFile: one descriptor per load. What is hashed is what is read, a non-regular file is
// refused without blocking, and a change to the open file is seen.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <atomic>
#include <fstream>

#include "core/ingest/load_types.hpp"
#include "core/ingest/opened_file.hpp"
#include "core/watch/fingerprint.hpp"
#include "tests/core/ingest/ingest_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::ingest {
namespace {

namespace fs = std::filesystem;

std::string read_all(csv::ByteSource& source) {
  std::string out;
  char buffer[4096];
  for (std::size_t got = 0; (got = source.read(buffer, sizeof buffer)) > 0;) {
    out.append(buffer, got);
  }
  return out;
}

TEST_CASE("the hash and every input come from the file as it was opened, not the path") {
  test::TempDir dir;
  const auto path = dir.path() / "a.csv";
  test::write_text(path, "id\n1\n");
  const auto expected_hash = watch::fingerprint_file(path);
  const OpenedFile opened(path);
  CHECK_FALSE(opened.changed());
  // The path now names another file: the open one is still what is hashed and read.
  test::write_text(dir.path() / "b.csv", "id\n2\n3\n");
  fs::rename(dir.path() / "b.csv", path);
  CHECK(opened.sha256(nullptr) == expected_hash);
  auto first = opened.input();
  auto second = opened.input();
  CHECK(read_all(*first) == "id\n1\n");
  CHECK(read_all(*second) == "id\n1\n");  // each input has its own position
  // Unlinked by the rename: its ctime moved, so a load of it would be rolled back and the new
  // file at the path loaded instead.
  CHECK(opened.changed());
}

TEST_CASE("an append to the open file is a change of identity") {
  test::TempDir dir;
  const auto path = dir.path() / "a.csv";
  test::write_text(path, "id\n1\n");
  const OpenedFile opened(path);
  CHECK_FALSE(opened.changed());
  std::ofstream(path, std::ios::binary | std::ios::app) << "2\n";
  CHECK(opened.changed());
}

TEST_CASE(
    "a FIFO is refused at once (no writer needed, nothing blocks), a symlink is not followed") {
  test::TempDir dir;
  const auto fifo = dir.path() / "fifo.csv";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  CHECK_THROWS_AS(OpenedFile{fifo}, NotRegularFile);
  test::write_text(dir.path() / "target.csv", "id\n1\n");
  fs::create_symlink(dir.path() / "target.csv", dir.path() / "link.csv");
  CHECK_THROWS_AS(OpenedFile{dir.path() / "link.csv"}, NotRegularFile);
  CHECK_THROWS_AS(OpenedFile{dir.path()}, NotRegularFile);
  CHECK_THROWS_AS(OpenedFile{dir.path() / "missing.csv"}, FileUnavailable);
}

TEST_CASE("hashing stops when the load is cancelled") {
  test::TempDir dir;
  const auto path = dir.path() / "a.csv";
  test::write_text(path, "id\n1\n");
  const OpenedFile opened(path);
  const std::atomic<bool> cancel{true};
  CHECK_THROWS_AS(opened.sha256(&cancel), LoadCancelled);
}

}  // namespace
}  // namespace dp::ingest
