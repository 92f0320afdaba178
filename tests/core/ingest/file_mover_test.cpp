// settle_file: a loaded file leaves imports/ only if it is still the file that was hashed.
#include <doctest/doctest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/ingest/file_mover.hpp"
#include "core/watch/file_stat.hpp"
#include "tests/core/ingest/ingest_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace dp::test {
namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t files_under(const fs::path& folder) {
  if (!fs::exists(folder)) {
    return 0;
  }
  std::size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    count += entry.is_regular_file() ? 1 : 0;
  }
  return count;
}

/// A loaded outcome for `path`, with the identity the loader would have taken when hashing it.
ingest::LoadOutcome loaded(const fs::path& path) {
  ingest::LoadOutcome outcome;
  outcome.status = ingest::LoadStatus::kLoaded;
  outcome.path = path;
  outcome.file_id = 7;
  outcome.identity = watch::lstat_file(path);
  return outcome;
}

/// The date folder settle_file archives into today (local time, like the service).
std::string today_for_test() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &local);
  return text;
}

/// Replaces `path` the way a writer delivers a new version: write elsewhere, rename over it.
void replace_by_rename(const fs::path& path, const std::string& content) {
  const auto temporary = path.parent_path() / ".new-version.part";
  write_text(temporary, content);
  fs::rename(temporary, path);
}

}  // namespace

TEST_CASE("an unchanged loaded file is archived, and with after_load=delete removed") {
  TempDir dir;
  ingest::MoveOptions options{dir.path() / "imports", dir.path() / "exports", false, {}};
  fs::create_directories(options.imports_dir);
  const auto path = options.imports_dir / "user_traffic_a.csv";
  write_text(path, "user_id\n1\n");
  const auto moved = ingest::settle_file(loaded(path), options);
  CHECK_FALSE(fs::exists(path));
  CHECK(moved.parent_path().parent_path() == options.imports_dir / ".processed");
  CHECK(read_text(moved) == "user_id\n1\n");

  options.delete_loaded = true;
  write_text(path, "user_id\n2\n");
  CHECK(ingest::settle_file(loaded(path), options).empty());
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("a file replaced after it was hashed stays in imports/ with the new bytes") {
  TempDir dir;
  ingest::MoveOptions options{dir.path() / "imports", dir.path() / "exports", false, {}};
  fs::create_directories(options.imports_dir);
  const auto path = options.imports_dir / "user_traffic_b.csv";
  write_text(path, "user_id\n1\n");
  const auto outcome = loaded(path);

  SUBCASE("a new version renamed over it") {
    replace_by_rename(path, "user_id\n1\n2\n");
  }
  SUBCASE("the same name appended to in place") {
    std::ofstream(path, std::ios::binary | std::ios::app) << "2\n";
  }
  SUBCASE("and with after_load=delete it is not deleted either") {
    options.delete_loaded = true;
    replace_by_rename(path, "user_id\n1\n2\n");
  }
  CHECK(ingest::settle_file(outcome, options) == path);
  CHECK(read_text(path) == "user_id\n1\n2\n");
  CHECK(files_under(options.imports_dir / ".processed") == 0);
}

TEST_CASE("a quarantined file named x.error.txt and the report of a failing x are both kept") {
  TempDir dir;
  ingest::MoveOptions options{dir.path() / "imports", dir.path() / "exports", false, {}};
  fs::create_directories(options.imports_dir);
  write_text(options.imports_dir / "x.error.txt", "dropped by someone\n");
  ingest::quarantine_file(options.imports_dir / "x.error.txt", "no kind matches", options);
  write_text(options.imports_dir / "x", "a,b\n");
  ingest::quarantine_file(options.imports_dir / "x", "no kind matches", options);
  const auto failed = options.imports_dir / ".failed";
  CHECK(read_text(failed / "x.error.txt") == "dropped by someone\n");
  CHECK(read_text(failed / "x.error.txt.error.txt").find("file: x.error.txt") != std::string::npos);
  CHECK(read_text(failed / "x") == "a,b\n");
  CHECK(read_text(failed / "x.error-1.txt").find("file: x\n") != std::string::npos);
  CHECK(files_under(failed) == 4);
}

TEST_CASE("a link planted as .failed or .processed/<day> is refused and the file stays put") {
  TempDir dir;
  ingest::MoveOptions options{dir.path() / "imports", dir.path() / "exports", false, {}};
  const auto victim = dir.path() / "victim";
  fs::create_directories(victim);
  fs::create_directories(options.imports_dir / ".processed");
  fs::create_directory_symlink(victim, options.imports_dir / ".failed");
  fs::create_directory_symlink(victim, options.imports_dir / ".processed" / today_for_test());
  const auto bad = options.imports_dir / "unknown.csv";
  write_text(bad, "a,b\n");
  CHECK_THROWS_AS(ingest::quarantine_file(bad, "no kind matches", options), files::UnsafePathError);
  const auto good = options.imports_dir / "user_traffic_c.csv";
  write_text(good, "user_id\n1\n");
  CHECK_THROWS_AS(ingest::settle_file(loaded(good), options), files::UnsafePathError);
  CHECK(fs::exists(bad));
  CHECK(fs::exists(good));
  CHECK(fs::is_empty(victim));
}

TEST_CASE("lstat_file tells files apart by inode, size and modification time") {
  TempDir dir;
  const auto path = dir.path() / "f.csv";
  CHECK_FALSE(watch::lstat_file(path).has_value());
  write_text(path, "a\n");
  const auto first = watch::lstat_file(path);
  REQUIRE(first.has_value());
  CHECK(watch::lstat_file(path) == first);
  replace_by_rename(path, "b\n");
  const auto second = watch::lstat_file(path);
  REQUIRE(second.has_value());
  CHECK(second->inode != first->inode);
  CHECK(second->size == first->size);
}

}  // namespace dp::test
