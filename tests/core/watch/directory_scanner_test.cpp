// The scanner lists what is really in the folder: regular files with size and mtime, symlinks
// apart (never followed), everything else as "other".

#include "core/watch/directory_scanner.hpp"

#include <sys/stat.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <system_error>

#include "tests/core/watch/watch_test_support.hpp"

namespace dp::watch {
namespace {

using testing::TempDir;
using testing::write_file_for_test;

TEST_CASE("regular files are listed with size, mtime and inode, nothing is followed") {
  TempDir dir;
  write_file_for_test(dir / "a.csv", "12345");
  write_file_for_test(dir / ".hidden.csv", "x");
  write_file_for_test(dir / "empty.csv", "");
  std::filesystem::create_directory(dir / "subdir");
  write_file_for_test(dir / "subdir" / "nested.csv", "not listed");
  std::filesystem::create_symlink(dir / "a.csv", dir / "link.csv");
  std::filesystem::create_symlink(dir / "missing-target.csv", dir / "dangling.csv");
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);

  const DirectoryListing listing = scan_directory(dir.path());

  std::vector<std::string> files;
  for (const auto& file : listing.files) {
    files.push_back(file.name);
  }
  std::sort(files.begin(), files.end());
  CHECK(files == std::vector<std::string>{".hidden.csv", "a.csv", "empty.csv"});
  const auto a = std::find_if(listing.files.begin(), listing.files.end(),
                              [](const ScannedFile& f) { return f.name == "a.csv"; });
  REQUIRE(a != listing.files.end());
  CHECK(a->stat.size == 5);
  struct stat st {};
  REQUIRE(::stat((dir / "a.csv").c_str(), &st) == 0);
  CHECK(a->stat.inode == st.st_ino);
  CHECK(a->stat.mtime_ns == st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec);

  auto symlinks = listing.symlinks;
  std::sort(symlinks.begin(), symlinks.end());
  CHECK(symlinks == std::vector<std::string>{"dangling.csv", "link.csv"});

  REQUIRE(listing.others.size() == 2);
  for (const auto& other : listing.others) {
    if (other.name == "subdir") {
      CHECK(other.type == EntryType::kDirectory);
    } else {
      CHECK(other.name == "pipe");
      CHECK(other.type == EntryType::kFifo);
    }
  }
}

TEST_CASE("an empty folder gives an empty listing") {
  TempDir dir;
  const auto listing = scan_directory(dir.path());
  CHECK(listing.files.empty());
  CHECK(listing.symlinks.empty());
  CHECK(listing.others.empty());
}

TEST_CASE("a missing folder is an error, not an empty listing") {
  TempDir dir;
  CHECK_THROWS_AS(scan_directory(dir / "does-not-exist"), std::system_error);
}

TEST_CASE("lstat_entry classifies one entry without following symlinks") {
  TempDir dir;
  write_file_for_test(dir / "a.csv", "abc");
  std::filesystem::create_symlink(dir / "a.csv", dir / "link.csv");
  const auto file = lstat_entry(dir / "a.csv");
  REQUIRE(file.has_value());
  CHECK(file->type == EntryType::kRegular);
  CHECK(file->stat.size == 3);
  const auto link = lstat_entry(dir / "link.csv");
  REQUIRE(link.has_value());
  CHECK(link->type == EntryType::kSymlink);
  CHECK_FALSE(lstat_entry(dir / "gone.csv").has_value());
}

}  // namespace
}  // namespace dp::watch
