// Writes that whoever can write imports/ cannot redirect: planted links and foreign folders are
// refused, temporary names cannot be predicted, nothing is replaced, modes are exact.
#include "core/fs/safe_directory.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "core/fs/atomic_file_writer.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using dp::files::AtomicFileWriter;
using dp::files::OutputModes;
using dp::files::SafeDirectory;
using dp::files::UnsafePathError;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

/// A folder outside the tree, where a planted link points: it must stay as it was.
struct Victim {
  explicit Victim(const fs::path& root) : folder(root / "victim") {
    fs::create_directories(folder);
    write_text(folder / "precious.txt", "keep me\n");
  }
  bool untouched() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
      names.insert(entry.path().filename().string());
    }
    return names == std::set<std::string>{"precious.txt"} &&
           read_text(folder / "precious.txt") == "keep me\n";
  }
  fs::path folder;
};

}  // namespace

TEST_CASE("a symbolic link planted as a service folder is refused, its target untouched") {
  dp::test::TempDir dir;
  const Victim victim(dir.path());
  const auto imports = dir.path() / "imports";
  fs::create_directories(imports);
  fs::create_directory_symlink(victim.folder, imports / ".failed");
  const auto root = SafeDirectory::open_configured(imports);
  CHECK_THROWS_WITH_AS(root.child(".failed"), doctest::Contains("symbolic link"), UnsafePathError);
  fs::create_directories(imports / ".processed");
  fs::create_directory_symlink(victim.folder, imports / ".processed" / "2026-12-04");
  CHECK_THROWS_AS(root.descend(fs::path(".processed") / "2026-12-04"), UnsafePathError);
  CHECK(victim.untouched());
}

TEST_CASE("a service folder owned by another user is refused") {
  if (::geteuid() != 0) {
    return;  // Only root can hand a folder to another user.
  }
  dp::test::TempDir dir;
  fs::create_directories(dir.path() / "exports" / "rejects");
  REQUIRE(::chown((dir.path() / "exports" / "rejects").c_str(), 65534, 65534) == 0);
  const auto exports = SafeDirectory::open_configured(dir.path() / "exports");
  CHECK_THROWS_WITH_AS(exports.child("rejects"), doctest::Contains("owned by uid 65534"),
                       UnsafePathError);
}

TEST_CASE("folder names with a slash or dots are refused") {
  dp::test::TempDir dir;
  const auto root = SafeDirectory::open_configured(dir.path());
  CHECK_THROWS_AS(root.child(".."), UnsafePathError);
  CHECK_THROWS_AS(root.child("a/b"), UnsafePathError);
  CHECK_THROWS_AS(root.child(""), UnsafePathError);
}

TEST_CASE("temporary names are random, and a link at the old predictable name is not followed") {
  dp::test::TempDir dir;
  const Victim victim(dir.path());
  const auto folder = SafeDirectory::open_configured(dir.path() / "out");
  // The name the writer used to take: NAME.tmp-PID, opened with O_TRUNC through any link.
  fs::create_symlink(victim.folder / "precious.txt",
                     dir.path() / "out" / ("x.csv.tmp-" + std::to_string(::getpid())));
  std::set<std::string> temporaries;
  for (int i = 0; i < 20; ++i) {
    AtomicFileWriter writer(folder, "x.csv");
    CHECK(writer.temporary_name().rfind(".x.csv.tmp-", 0) == 0);
    CHECK(writer.temporary_name().size() == std::string(".x.csv.tmp-").size() + 16);
    temporaries.insert(writer.temporary_name());
  }
  CHECK(temporaries.size() == 20);
  AtomicFileWriter writer(folder, "x.csv");
  writer.append("a,b\n");
  CHECK(writer.commit() == dir.path() / "out" / "x.csv");
  CHECK(read_text(dir.path() / "out" / "x.csv") == "a,b\n");
  CHECK(victim.untouched());
}

TEST_CASE("commit_without_overwrite never replaces a file or writes through a link") {
  dp::test::TempDir dir;
  const Victim victim(dir.path());
  const auto path = dir.path() / "failed";
  const auto folder = SafeDirectory::open_configured(path);
  write_text(path / "x.error.txt", "the quarantined file x.error.txt\n");
  fs::create_symlink(victim.folder / "precious.txt", path / "x.error-1.txt");
  AtomicFileWriter writer(folder, "x.error.txt");
  writer.append("report of x\n");
  CHECK(writer.commit_without_overwrite(".error.txt") == path / "x.error-2.txt");
  CHECK(read_text(path / "x.error.txt") == "the quarantined file x.error.txt\n");
  CHECK(read_text(path / "x.error-2.txt") == "report of x\n");
  CHECK(fs::is_symlink(path / "x.error-1.txt"));
  CHECK(victim.untouched());
}

TEST_CASE("created files and folders get the output mode exactly, whatever the umask") {
  dp::test::TempDir dir;
  const mode_t previous = ::umask(0);
  {
    const auto root = SafeDirectory::open_configured(dir.path() / "exports");
    const auto rejects = root.child("rejects");
    AtomicFileWriter writer(rejects, "a.rejects.csv");
    writer.append("line\n");
    writer.commit_without_overwrite();
  }
  ::umask(0077);
  {
    const auto custom = SafeDirectory::open_configured(dir.path(), OutputModes{0660});
    const auto folder = custom.child("shared");
    AtomicFileWriter writer(folder, "b.csv");
    writer.commit();
  }
  ::umask(previous);
  CHECK(mode_of(dir.path() / "exports") == 0750);
  CHECK(mode_of(dir.path() / "exports" / "rejects") == 0750);
  CHECK(mode_of(dir.path() / "exports" / "rejects" / "a.rejects.csv") == 0640);
  CHECK(mode_of(dir.path() / "shared") == 0770);
  CHECK(mode_of(dir.path() / "shared" / "b.csv") == 0660);
}

TEST_CASE("an abandoned writer leaves nothing behind") {
  dp::test::TempDir dir;
  const auto folder = SafeDirectory::open_configured(dir.path());
  {
    AtomicFileWriter writer(folder, "half.csv");
    writer.append("half");
  }
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("a log file opened for appending refuses a link and a file of another user") {
  dp::test::TempDir dir;
  const Victim victim(dir.path());
  const auto folder = SafeDirectory::open_configured(dir.path() / "logs");
  fs::create_symlink(victim.folder / "precious.txt", dir.path() / "logs" / "dataprocessor.log");
  CHECK_THROWS_AS(dp::files::open_private_for_append(folder, "dataprocessor.log"), UnsafePathError);
  CHECK(victim.untouched());
  const int fd = dp::files::open_private_for_append(folder, "fresh.log");
  CHECK(fd >= 0);
  ::close(fd);
  CHECK(mode_of(dir.path() / "logs" / "fresh.log") == 0640);
}

TEST_CASE("numbered names keep the extension, or the given suffix, at the end") {
  using dp::files::numbered_name;
  CHECK(numbered_name("a.csv.gz", 1) == "a-1.csv.gz");
  CHECK(numbered_name("plain", 2) == "plain-2");
  CHECK(numbered_name(".hidden", 1) == ".hidden-1");
  CHECK(numbered_name("a.csv.error.txt", 1, ".error.txt") == "a.csv.error-1.txt");
  CHECK(numbered_name("x.error.txt", 3, ".error.txt") == "x.error-3.txt");
}
