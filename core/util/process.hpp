#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dp::util {

/// Result of a child process run to completion: the embedded PostgreSQL and the tests start
/// real programs (initdb, pg_ctl, the built binary) and need their exit status and output.
struct ProcessResult {
  int exit_code = -1;
  /// Standard output and standard error, interleaved.
  std::string output;
};

/// Runs `argv` (argv[0] looked up on PATH when it has no slash) with stdin from /dev/null and
/// waits for it; output is captured. Throws std::system_error when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv);

/// run_process() with `input` (at most a pipe's buffer, 64 KiB) on stdin instead of /dev/null:
/// secrets for a child (a password for PostgreSQL's single-user mode) never go on its command
/// line, where every local user could read them.
ProcessResult run_process_with_input(const std::vector<std::string>& argv, std::string_view input);

/// Finds an executable by name on PATH; empty path when absent.
std::filesystem::path find_on_path(const std::string& name);

/// Whether this process runs as root (initdb refuses root, so the cluster needs its own user).
bool running_as_root();

}  // namespace dp::util
