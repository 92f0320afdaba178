#include "tests/support/service_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

namespace dp::test {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

/// argv and envp prepared before fork(): between fork() and exec() the child may only make
/// async-signal-safe calls, so nothing is allocated there.
struct ExecArrays {
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ExecArrays exec_arrays(const ProcessSpec& spec) {
  ExecArrays arrays;
  arrays.argv_storage.push_back(spec.binary.string());
  arrays.argv_storage.insert(arrays.argv_storage.end(), spec.args.begin(), spec.args.end());
  for (const char* name : {"PATH", "HOME", "TMPDIR", "TZ", "LANG", "LC_ALL"}) {
    if (const char* value = std::getenv(name)) {
      bool overridden = false;
      for (const auto& [key, ignored] : spec.env) {
        overridden = overridden || key == name;
      }
      if (!overridden) {
        arrays.env_storage.push_back(std::string(name) + "=" + value);
      }
    }
  }
  for (const auto& [key, value] : spec.env) {
    arrays.env_storage.push_back(key + "=" + value);
  }
  for (auto& arg : arrays.argv_storage) {
    arrays.argv.push_back(arg.data());
  }
  arrays.argv.push_back(nullptr);
  for (auto& variable : arrays.env_storage) {
    arrays.envp.push_back(variable.data());
  }
  arrays.envp.push_back(nullptr);
  return arrays;
}

/// Starts the program with stdout and stderr appended to the given files (the same file for
/// both when they are equal). The child dies with the test process (PR_SET_PDEATHSIG), so a
/// crashed test never leaves a service watching a deleted folder.
pid_t spawn(const ProcessSpec& spec, const fs::path& out_path, const fs::path& err_path) {
  if (!fs::is_directory(spec.working_dir)) {
    throw std::system_error(std::make_error_code(std::errc::not_a_directory),
                            "working folder " + spec.working_dir.string());
  }
  auto arrays = exec_arrays(spec);
  const std::string dir = spec.working_dir.string();
  const std::string out = out_path.string();
  const std::string err = err_path.string();
  const bool same = out_path == err_path;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    throw std::system_error(errno, std::generic_category(), "fork");
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);
    }
    // A clean signal state: the test process may block or ignore signals the service handles.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    const int in_fd = ::open("/dev/null", O_RDONLY);
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int err_fd = same ? out_fd : ::open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0 || ::chdir(dir.c_str()) != 0) {
      ::_exit(127);
    }
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execve(arrays.argv[0], arrays.argv.data(), arrays.envp.data());
    ::_exit(127);
  }
  return pid;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

/// waitpid that survives EINTR; returns the pid, 0 (still running with WNOHANG) or -1.
pid_t wait_pid(pid_t pid, int* status, int flags) {
  for (;;) {
    const pid_t result = ::waitpid(pid, status, flags);
    if (result >= 0 || errno != EINTR) {
      return result;
    }
  }
}

/// Waits for `pid` with a deadline by polling (no SIGCHLD handler: the test process owns none).
std::optional<int> wait_with_deadline(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    int status = 0;
    const pid_t result = wait_pid(pid, &status, WNOHANG);
    if (result == pid) {
      return status;
    }
    if (result < 0) {
      return -1;
    }
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

}  // namespace

ServiceProcess::ServiceProcess(ProcessSpec spec) {
  output_file_ = spec.output_file.empty() ? spec.working_dir / "process.log" : spec.output_file;
  pid_ = spawn(spec, output_file_, output_file_);
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    wait_pid(pid_, &status, 0);
  }
}

void ServiceProcess::reap(int status) {
  exit_code_ = status < 0 ? -1 : exit_code_of(status);
}

bool ServiceProcess::running() {
  if (exit_code_) {
    return false;
  }
  int status = 0;
  const pid_t result = wait_pid(pid_, &status, WNOHANG);
  if (result == pid_) {
    reap(status);
    return false;
  }
  return result == 0;
}

std::optional<int> ServiceProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) {
    return exit_code_;
  }
  if (const auto status = wait_with_deadline(pid_, timeout)) {
    reap(*status);
  }
  return exit_code_;
}

int ServiceProcess::terminate(std::chrono::milliseconds timeout) {
  if (exit_code_) {
    return *exit_code_;
  }
  ::kill(pid_, SIGTERM);
  if (const auto code = wait_for_exit(timeout)) {
    return *code;
  }
  kill_hard();
  return -1;
}

int ServiceProcess::kill_hard() {
  if (exit_code_) {
    return *exit_code_;
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  wait_pid(pid_, &status, 0);
  reap(status);
  return *exit_code_;
}

std::string ServiceProcess::output() const {
  return read_file_text(output_file_);
}

bool ServiceProcess::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout) {
  // An exited process writes nothing more: stop waiting, but look once more at what it wrote.
  wait_until([&] { return output().find(needle) != std::string::npos || !running(); }, timeout);
  return output().find(needle) != std::string::npos;
}

std::uint64_t ServiceProcess::peak_rss_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::strtoull(line.c_str() + 6, nullptr, 10);
    }
  }
  return 0;
}

CompletedProcess run_to_completion(const ProcessSpec& spec, std::chrono::milliseconds timeout) {
  const fs::path out_path =
      spec.output_file.empty() ? spec.working_dir / "run.out" : spec.output_file;
  const fs::path err_path = out_path.string() + ".err";
  std::error_code ignored;
  fs::remove(out_path, ignored);
  fs::remove(err_path, ignored);
  const pid_t pid = spawn(spec, out_path, err_path);
  CompletedProcess result;
  if (const auto status = wait_with_deadline(pid, timeout)) {
    result.exit_code = exit_code_of(*status);
  } else {
    ::kill(pid, SIGKILL);
    int ignored_status = 0;
    wait_pid(pid, &ignored_status, 0);
    result.exit_code = -1;
  }
  result.out = read_file_text(out_path);
  result.err = read_file_text(err_path);
  return result;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (condition()) {
      return true;
    }
    if (Clock::now() >= deadline) {
      return condition();
    }
    std::this_thread::sleep_for(interval);
  }
}

std::string read_file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace dp::test
