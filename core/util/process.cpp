#include "core/util/process.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

extern char** environ;

namespace dp::util {

namespace {

ProcessResult run(const std::vector<std::string>& argv, const std::string_view* input) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe");
  }
  int input_fds[2] = {-1, -1};
  if (input != nullptr && pipe2(input_fds, O_CLOEXEC) != 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw std::system_error(errno, std::generic_category(), "pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (input != nullptr) {
    posix_spawn_file_actions_adddup2(&actions, input_fds[0], 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);

  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (input != nullptr) {
    close(input_fds[0]);
    if (spawn_error == 0) {
      // A child that exits without reading must not kill us with SIGPIPE: block it on this
      // thread for the write and discard the one it raised.
      sigset_t pipe_signal;
      sigset_t previous;
      sigemptyset(&pipe_signal);
      sigaddset(&pipe_signal, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
      bool broken = false;
      std::size_t written = 0;
      while (written < input->size()) {
        const ssize_t n = write(input_fds[1], input->data() + written, input->size() - written);
        if (n < 0 && errno == EINTR) {
          continue;
        }
        if (n < 0) {
          broken = errno == EPIPE;
          break;
        }
        written += static_cast<std::size_t>(n);
      }
      if (broken) {
        const timespec no_wait{0, 0};
        sigtimedwait(&pipe_signal, nullptr, &no_wait);
      }
      pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    }
    close(input_fds[1]);
  }
  if (spawn_error != 0) {
    close(pipe_fds[0]);
    throw std::system_error(spawn_error, std::generic_category(), "cannot start " + argv.at(0));
  }

  ProcessResult result;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      result.output.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_fds[0]);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv) {
  return run(argv, nullptr);
}

ProcessResult run_process_with_input(const std::vector<std::string>& argv, std::string_view input) {
  return run(argv, &input);
}

std::filesystem::path find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) {
    return {};
  }
  std::string_view rest(path);
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::filesystem::path candidate =
        std::filesystem::path(std::string(rest.substr(0, colon))) / name;
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(colon + 1);
  }
  return {};
}

bool running_as_root() {
  return geteuid() == 0;
}

}  // namespace dp::util
