#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dp::test {

/// How to start the binary under test: end-to-end suites run the real program, never a stand-in.
struct ProcessSpec {
  /// Arguments after the program name.
  std::vector<std::string> args;
  /// The child's current directory (its ./.env, relative paths); must exist.
  std::filesystem::path working_dir;
  /// Variables set on top of a small clean environment (PATH, HOME, TMPDIR, TZ, LANG), so that
  /// settings in the developer's environment (DATABASE_URL, WORKERS, ...) never leak in.
  std::vector<std::pair<std::string, std::string>> env;
  /// Where standard output and standard error go (appended); empty = working_dir/process.log.
  std::filesystem::path output_file;
  /// The program; the built dataprocessor unless a test says otherwise.
  std::filesystem::path binary = DP_BINARY_PATH;
};

/// The binary started in the background (watch mode): a test drops files, waits for their
/// effects with a deadline, then stops it by SIGTERM (expecting exit 0) or SIGKILL (a crash).
class ServiceProcess {
 public:
  /// Starts the process; throws std::system_error when it cannot be started.
  explicit ServiceProcess(ProcessSpec spec);
  /// SIGKILLs and reaps the process if it still runs, so a failed test leaves nothing behind.
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  /// For signals a test sends itself (SIGINT) and for /proc lookups.
  pid_t pid() const { return pid_; }
  /// Whether the process has not exited yet (reaps it when it has).
  bool running();
  /// Waits up to `timeout` for the process to exit; its exit code (128 + signal when a signal
  /// ended it), or nullopt while it still runs.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  /// Sends SIGTERM and waits for the exit; SIGKILLs after `timeout` and then returns -1, so a
  /// hanging shutdown fails the test's exit-code check instead of hanging the suite.
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  /// Sends SIGKILL (a crash, power loss) and reaps the process; returns 128 + SIGKILL.
  int kill_hard();
  /// Everything the process has written so far (stdout and stderr interleaved).
  std::string output() const;
  /// Waits until the output contains `needle`; false at the deadline or when the process exits
  /// without writing it.
  bool wait_for_output(std::string_view needle, std::chrono::milliseconds timeout);
  /// Where the output goes, to name in a failure message.
  const std::filesystem::path& output_file() const { return output_file_; }
  /// Peak resident memory of the running process in KiB (VmHWM), 0 when unknown.
  std::uint64_t peak_rss_kib() const;

 private:
  void reap(int status);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path output_file_;
};

/// Result of a program run to completion, with stdout and stderr kept apart (a message on
/// stderr, a report on stdout).
struct CompletedProcess {
  /// Exit code; 128 + signal when a signal ended it; -1 when it was killed at the deadline.
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the program and waits for it (SIGKILL at `timeout`); output_file names the stdout file,
/// stderr goes beside it with `.err` appended.
CompletedProcess run_to_completion(const ProcessSpec& spec,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(120));

/// Polls `condition` until it holds or `timeout` passes; returns its last value. End-to-end
/// tests wait for effects (a ledger row, a moved file) instead of sleeping a fixed time.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(50));

/// Reads a whole file (empty when it does not exist).
std::string read_file_text(const std::filesystem::path& path);

}  // namespace dp::test
