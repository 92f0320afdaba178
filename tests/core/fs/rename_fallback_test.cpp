// The move out of imports/ on a file system without RENAME_NOREPLACE (older NFS servers, some
// FUSE and SMB mounts): the kernel's renameat2 is made to fail with EINVAL, as such a file system
// answers, by a seccomp filter in a child process. The fallback must link and unlink, and never
// replace the file already at the target name.
#include "core/fs/safe_directory.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>

#include "tests/support/service_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using dp::files::SafeDirectory;

namespace {

void write_text(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

/// From now on, in this process, renameat2 fails with EINVAL without reaching the file system.
bool make_renameat2_unsupported() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_renameat2, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EINVAL & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
  return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

/// Runs `body` in a child process without renameat2; its exit code (0 = every check held).
int in_child_without_renameat2(const std::function<int()>& body) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (!make_renameat2_unsupported()) {
      ::_exit(90);
    }
    int code = 91;
    try {
      code = body();
    } catch (...) {
      code = 92;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 93;
}

}  // namespace

TEST_CASE("without RENAME_NOREPLACE a move links and unlinks and never replaces a file") {
  dp::test::TempDir dir;
  const auto from = dir.path() / "imports";
  const auto to = dir.path() / "processed";
  fs::create_directories(from);
  fs::create_directories(to);
  write_text(from / "a.csv", "new bytes\n");
  write_text(from / "b.csv", "b\n");
  write_text(to / "a.csv", "earlier file of that name\n");

  const int code = in_child_without_renameat2([&] {
    // The filter works: a plain renameat2 is refused as by a file system that lacks it.
    if (::renameat2(AT_FDCWD, (from / "b.csv").c_str(), AT_FDCWD, (to / "b.csv").c_str(),
                    RENAME_NOREPLACE) == 0 ||
        errno != EINVAL) {
      return 10;
    }
    const auto source = SafeDirectory::open_configured(from);
    const auto target = SafeDirectory::open_configured(to);
    if (dp::files::rename_without_replacing(source, "a.csv", target, "a.csv") != "a-1.csv") {
      return 11;
    }
    if (dp::files::rename_without_replacing(source, "b.csv", target, "b.csv") != "b.csv") {
      return 12;
    }
    return 0;
  });
  REQUIRE(code == 0);
  CHECK(dp::test::read_file_text(to / "a.csv") == "earlier file of that name\n");
  CHECK(dp::test::read_file_text(to / "a-1.csv") == "new bytes\n");
  CHECK(dp::test::read_file_text(to / "b.csv") == "b\n");
  CHECK_FALSE(fs::exists(from / "a.csv"));
  CHECK_FALSE(fs::exists(from / "b.csv"));
}
