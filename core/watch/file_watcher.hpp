#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/watch/readiness.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace dp::watch {

/// How changes are noticed: inotify where the kernel offers it, plain polling where it does not
/// (network file systems, some container mounts, exhausted inotify limits).
enum class WatchMode { kInotify, kPoll };

/// Settings of one watched folder; each default is what a local imports/ folder needs.
struct FileWatcherOptions {
  /// The folder whose files are ingested (not recursive).
  std::filesystem::path dir;
  /// kInotify falls back to kPoll by itself when inotify cannot be set up.
  WatchMode mode = WatchMode::kInotify;
  /// How long a closed or scanned file must stay unchanged before it is handed out.
  std::chrono::milliseconds settle{200};
  /// Full rescan period in inotify mode: the scan is the truth, inotify only makes it fast.
  std::chrono::milliseconds rescan_interval{30'000};
  /// Scan period in poll mode, and the retry period while a lost inotify watch is restored.
  std::chrono::milliseconds poll_interval{1'000};
  /// How long a written but never-closed file waits before the writer probe may clear it.
  std::chrono::milliseconds unclosed_grace{10'000};
};

/// Where the watcher reports; every callback runs on the io_context thread and may call
/// forget(), rescan_now() or stop().
struct FileWatcherCallbacks {
  /// A file is complete: the engine may take it (once per incarnation of the file).
  std::function<void(const std::filesystem::path& file, ReadyReason reason)> on_ready;
  /// A symlink appeared; it is never followed, and the engine quarantines it (reported once).
  std::function<void(const std::filesystem::path& link)> on_symlink;
  /// An entry that will never be ingested (a directory, a pipe, a temporary name); reported once
  /// per appearance so it can be logged. Hidden names are skipped silently.
  std::function<void(const std::filesystem::path& entry, const std::string& reason)> on_ignored;
};

/// Counters for metrics and tests: how the watcher has been learning about the folder.
struct FileWatcherStats {
  std::uint64_t scans = 0;
  std::uint64_t scan_failures = 0;
  std::uint64_t inotify_events = 0;
  std::uint64_t overflows = 0;
  std::uint64_t watch_losses = 0;
  std::uint64_t files_ready = 0;
};

/// The component the ingest engine uses to learn when a file in imports/ is complete: inotify
/// as the hint, directory scans as the truth (start-up, overflow, timer), readiness decided by
/// ReadinessTracker. All methods must be called on the io_context thread (or before it runs).
class FileWatcher {
 public:
  /// Does nothing until start().
  FileWatcher(boost::asio::io_context& io, FileWatcherOptions options,
              FileWatcherCallbacks callbacks);
  /// Stops; pending handlers then complete as no-ops.
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  /// Starts inotify (or the poll timer), scans once, arms the rescan and readiness timers;
  /// throws std::system_error when the folder cannot be read at all.
  void start();
  /// Cancels every timer and the inotify read so that io_context::run() can return.
  void stop();
  /// The engine moved the handed-out file away (a bare name or a path inside the folder); a new
  /// file that already took the name is kept.
  void forget(const std::filesystem::path& file);
  /// Scans the folder now (e.g. after the engine was busy or on an operator's request).
  void rescan_now();
  /// Files seen but not yet complete, with when they were first seen, for stale-file alerts.
  std::vector<PendingFile> pending_files() const;
  /// Counters since start().
  FileWatcherStats stats() const;
  /// The mode in effect (kPoll after a fallback from inotify).
  WatchMode mode() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// "inotify" or "poll", for logs and settings.
const char* to_string(WatchMode mode);

}  // namespace dp::watch
