// The writer probe against real descriptors held by this process and by other processes.

#include "core/watch/open_writer_probe.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "tests/core/watch/watch_test_support.hpp"

namespace dp::watch {
namespace {

using testing::TempDir;
using testing::write_file_for_test;

TEST_CASE("a file nobody writes has no writer") {
  TempDir dir;
  write_file_for_test(dir / "done.csv", "a,b\n1,2\n");
  CHECK(probe_open_writer(dir / "done.csv") == WriterState::kNoWriter);
}

TEST_CASE("a descriptor open for writing in this process is seen, and its close too") {
  TempDir dir;
  const auto path = dir / "open.csv";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "a,b\n", 4) == 4);
  CHECK(probe_open_writer(path) == WriterState::kWriterOpen);
  ::close(fd);
  CHECK(probe_open_writer(path) == WriterState::kNoWriter);
}

TEST_CASE("a descriptor open for writing in another process is seen") {
  TempDir dir;
  const auto path = dir / "shell.csv";
  const auto marker = dir / "opened";
  write_file_for_test(path, "a,b\n");
  // The shell holds the file open for appending while it sleeps.
  const std::string command =
      "sh -c 'exec 3>>\"" + path.string() + "\"; touch \"" + marker.string() + "\"; sleep 3' &";
  REQUIRE(std::system(command.c_str()) == 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!std::filesystem::exists(marker) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(std::filesystem::exists(marker));
  CHECK(probe_open_writer(path) == WriterState::kWriterOpen);
  // The probe must not have disturbed the file.
  CHECK(std::filesystem::file_size(path) == 4);
}

TEST_CASE("when the kernel will not grant a lease the answer is unknown") {
  TempDir dir;
  SUBCASE("a named pipe") {
    REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
    CHECK(probe_open_writer(dir / "pipe") == WriterState::kUnknown);
  }
  SUBCASE("a missing file") {
    CHECK(probe_open_writer(dir / "gone.csv") == WriterState::kUnknown);
  }
  SUBCASE("a symlink is never followed") {
    write_file_for_test(dir / "target.csv", "x");
    std::filesystem::create_symlink(dir / "target.csv", dir / "link.csv");
    CHECK(probe_open_writer(dir / "link.csv") == WriterState::kUnknown);
  }
  SUBCASE("neither owner nor CAP_LEASE") {
    if (::geteuid() != 0) {
      MESSAGE("not root: cannot switch to another user to test EACCES");
      return;
    }
    const auto path = dir / "root-owned.csv";
    write_file_for_test(path, "x");
    REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // An unprivileged user may open the file for reading but may not take a lease on it.
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
        ::_exit(10);
      }
      ::_exit(static_cast<int>(probe_open_writer(path)));
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == static_cast<int>(WriterState::kUnknown));
  }
}

}  // namespace
}  // namespace dp::watch
