#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace dp::watch {

/// What happened to an entry of the watched folder, reduced to what readiness cares about.
enum class FolderEventKind {
  kCreated,           ///< IN_CREATE
  kModified,          ///< IN_MODIFY
  kClosedAfterWrite,  ///< IN_CLOSE_WRITE
  kMovedIn,           ///< IN_MOVED_TO
  kDeleted,           ///< IN_DELETE
  kMovedOut,          ///< IN_MOVED_FROM
};

/// One entry event; `is_directory` comes from IN_ISDIR.
struct FolderEvent {
  FolderEventKind kind = FolderEventKind::kCreated;
  std::string name;
  bool is_directory = false;
};

/// Where the watcher reports; every callback runs on the io_context thread.
struct InotifyCallbacks {
  /// The events of one read, in order.
  std::function<void(const std::vector<FolderEvent>&)> on_events;
  /// IN_Q_OVERFLOW: events were dropped, only a full rescan can tell what happened.
  std::function<void()> on_overflow;
  /// The watch ended (folder deleted, moved, unmounted, or the descriptor failed); the owner
  /// rescans and calls rewatch() until the folder is back.
  std::function<void(const std::string& why)> on_watch_lost;
};

/// An inotify descriptor on one folder read asynchronously on an io_context: the fast hint that
/// something changed. It never decides readiness; it only reports.
class InotifyWatcher {
 public:
  /// Does nothing until start(); `io` must outlive the watcher's pending operations.
  InotifyWatcher(boost::asio::io_context& io, std::filesystem::path dir,
                 InotifyCallbacks callbacks);
  ~InotifyWatcher();
  InotifyWatcher(const InotifyWatcher&) = delete;
  InotifyWatcher& operator=(const InotifyWatcher&) = delete;

  /// Creates the descriptor and the watch and starts reading; throws std::system_error (e.g.
  /// ENOENT, or EMFILE/ENOSPC when the inotify limits are exhausted).
  void start();
  /// Replaces the descriptor with a fresh watch on the folder's path (after on_watch_lost);
  /// false, with a log line, while the folder is still missing.
  bool rewatch();
  /// Closes the descriptor, cancelling the pending read; no callback runs afterwards.
  void stop();
  /// True while a watch is active.
  bool watching() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace dp::watch
