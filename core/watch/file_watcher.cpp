#include <utility>  // before Asio: Boost 1.74 with GCC 12 in C++20 needs std::exchange declared

#include "core/watch/file_watcher.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/watch/directory_scanner.hpp"
#include "core/watch/inotify_watcher.hpp"
#include "core/watch/name_filter.hpp"
#include "core/watch/open_writer_probe.hpp"

namespace dp::watch {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSymlinkReport = "symlink";

ReadinessOptions readiness_options(const FileWatcherOptions& options) {
  ReadinessOptions readiness;
  readiness.settle = options.settle;
  readiness.unclosed_grace = options.unclosed_grace;
  readiness.writer_recheck = std::max(options.settle, std::chrono::milliseconds(1'000));
  return readiness;
}

}  // namespace

const char* to_string(WatchMode mode) {
  switch (mode) {
    case WatchMode::kInotify:
      return "inotify";
    case WatchMode::kPoll:
      return "poll";
  }
  return "unknown";
}

struct FileWatcher::Impl : std::enable_shared_from_this<FileWatcher::Impl> {
  Impl(boost::asio::io_context& io_context, FileWatcherOptions watcher_options,
       FileWatcherCallbacks watcher_callbacks)
      : io(io_context),
        options(std::move(watcher_options)),
        callbacks(std::move(watcher_callbacks)),
        tracker(readiness_options(options)),
        mode(options.mode),
        rescan_timer(io_context),
        tick_timer(io_context),
        rewatch_timer(io_context) {}

  // --- start and stop -------------------------------------------------------------------------

  void start() {
    if (started) {
      return;
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(options.dir, ec)) {
      throw std::system_error(ec ? ec : std::make_error_code(std::errc::not_a_directory),
                              "watched folder " + options.dir.string());
    }
    started = true;
    if (mode == WatchMode::kInotify) {
      start_inotify();
    }
    // The watch exists before the first scan, so a file arriving in between is not missed.
    apply_listing(scan_directory(options.dir));
    arm_rescan_timer();
    spdlog::info("watching {} ({} mode, settle {} ms, rescan every {} ms)", options.dir.string(),
                 to_string(mode), options.settle.count(), scan_period().count());
  }

  void start_inotify() {
    std::weak_ptr<Impl> weak = weak_from_this();
    InotifyCallbacks inotify_callbacks;
    inotify_callbacks.on_events = [weak](const std::vector<FolderEvent>& events) {
      if (auto self = weak.lock()) {
        self->on_events(events);
      }
    };
    inotify_callbacks.on_overflow = [weak] {
      if (auto self = weak.lock()) {
        self->on_overflow();
      }
    };
    inotify_callbacks.on_watch_lost = [weak](const std::string& why) {
      if (auto self = weak.lock()) {
        self->on_watch_lost(why);
      }
    };
    inotify = std::make_unique<InotifyWatcher>(io, options.dir, std::move(inotify_callbacks));
    try {
      inotify->start();
    } catch (const std::system_error& error) {
      spdlog::warn("cannot watch {} with inotify ({}); polling every {} ms instead",
                   options.dir.string(), error.what(), options.poll_interval.count());
      inotify.reset();
      mode = WatchMode::kPoll;
    }
  }

  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (inotify) {
      inotify->stop();
    }
    rescan_timer.cancel();
    tick_timer.cancel();
    rewatch_timer.cancel();
    tick_armed = false;
    if (started) {
      spdlog::info("stopped watching {}", options.dir.string());
    }
  }

  // --- timers ---------------------------------------------------------------------------------

  std::chrono::milliseconds scan_period() const {
    return mode == WatchMode::kPoll ? options.poll_interval : options.rescan_interval;
  }

  void arm_rescan_timer() {
    if (stopped) {
      return;
    }
    rescan_timer.expires_after(scan_period());
    rescan_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->stopped) {
        return;
      }
      self->scan();
      self->arm_rescan_timer();
    });
  }

  /// Wakes up when the tracker's earliest deadline passes; idle while nothing is pending.
  void schedule_tick() {
    if (stopped) {
      return;
    }
    const auto deadline = tracker.next_deadline();
    if (!deadline || (tick_armed && tick_at <= *deadline)) {
      return;
    }
    tick_armed = true;
    tick_at = *deadline;
    tick_timer.expires_at(*deadline);
    tick_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->stopped) {
        return;
      }
      self->tick_armed = false;
      self->on_tick();
    });
  }

  void on_tick() {
    const auto ready =
        tracker.poll(Clock::now(), [this](const std::string& name) { return verify(name); });
    for (const ReadyFile& file : ready) {
      if (stopped) {
        return;
      }
      ++stats.files_ready;
      spdlog::info("ready: {} ({})", file.name, to_string(file.reason));
      if (callbacks.on_ready) {
        callbacks.on_ready(options.dir / file.name, file.reason);
      }
    }
    schedule_tick();
  }

  Verification verify(const std::string& name) const {
    const std::filesystem::path path = options.dir / name;
    Verification verification;
    const auto info = lstat_entry(path);
    if (!info || info->type != EntryType::kRegular) {
      return verification;
    }
    verification.stat = info->stat;
    verification.writer = probe_open_writer(path);
    return verification;
  }

  // --- scans ----------------------------------------------------------------------------------

  void scan() {
    if (stopped) {
      return;
    }
    try {
      apply_listing(scan_directory(options.dir));
      if (scan_failing) {
        spdlog::info("{} is readable again", options.dir.string());
        scan_failing = false;
      }
    } catch (const std::system_error& error) {
      ++stats.scan_failures;
      if (!scan_failing) {
        spdlog::warn("scan failed: {}", error.what());
        scan_failing = true;
      }
    }
  }

  void apply_listing(const DirectoryListing& listing) {
    ++stats.scans;
    const auto now = Clock::now();
    std::set<std::string> present;
    for (const ScannedFile& file : listing.files) {
      present.insert(file.name);
      if (dispose(file.name, EntryType::kRegular)) {
        tracker.seen_by_scan(file.name, file.stat, now);
      }
    }
    for (const std::string& name : listing.symlinks) {
      present.insert(name);
      dispose(name, EntryType::kSymlink);
    }
    for (const OtherEntry& entry : listing.others) {
      present.insert(entry.name);
      dispose(entry.name, entry.type);
    }
    for (const std::string& name : tracker.known_names()) {
      if (present.count(name) == 0) {
        tracker.removed(name);
      }
    }
    std::erase_if(reported, [&](const auto& item) { return present.count(item.first) == 0; });
    schedule_tick();
  }

  /// One rule for scans and events: hidden names are skipped, directories, temporary names and
  /// special files are reported as ignored, symlinks as symlinks; true for a file to track.
  bool dispose(const std::string& name, EntryType type) {
    const NameVerdict verdict = classify_name(name);
    if (verdict == NameVerdict::kHidden) {
      return false;
    }
    if (type == EntryType::kDirectory) {
      report_ignored(name, to_string(type));
    } else if (verdict == NameVerdict::kTemporary) {
      report_ignored(name, to_string(verdict));
    } else if (type == EntryType::kSymlink) {
      report_symlink(name);
    } else if (type != EntryType::kRegular) {
      report_ignored(name, to_string(type));
    } else {
      reported.erase(name);
      return true;
    }
    return false;
  }

  // --- inotify --------------------------------------------------------------------------------

  void on_events(const std::vector<FolderEvent>& events) {
    if (stopped) {
      return;
    }
    stats.inotify_events += events.size();
    const auto now = Clock::now();
    for (const FolderEvent& event : events) {
      if (stopped) {
        return;
      }
      apply_event(event, now);
    }
    schedule_tick();
  }

  void apply_event(const FolderEvent& event, Clock::time_point now) {
    const std::string& name = event.name;
    switch (event.kind) {
      case FolderEventKind::kDeleted:
      case FolderEventKind::kMovedOut:
        tracker.removed(name);
        reported.erase(name);
        return;
      case FolderEventKind::kModified:
        if (classify_name(name) == NameVerdict::kAccept && !event.is_directory) {
          tracker.modified(name, now);
        }
        return;
      case FolderEventKind::kClosedAfterWrite:
        if (classify_name(name) == NameVerdict::kAccept && !event.is_directory) {
          tracker.closed_after_write(name, now);
        }
        return;
      case FolderEventKind::kCreated:
      case FolderEventKind::kMovedIn:
        break;
    }
    if (classify_name(name) == NameVerdict::kHidden) {
      return;
    }
    std::optional<EntryInfo> info;
    if (!event.is_directory) {
      info = lstat_entry(options.dir / name);
      if (!info) {
        return;  // already gone again; its removal event follows
      }
    }
    if (!dispose(name, info ? info->type : EntryType::kDirectory)) {
      return;
    }
    if (event.kind == FolderEventKind::kMovedIn) {
      tracker.renamed_in(name, now, info->stat);
    } else {
      tracker.modified(name, now);
    }
  }

  void on_overflow() {
    if (stopped) {
      return;
    }
    ++stats.overflows;
    tracker.events_lost(Clock::now());
    scan();
  }

  void on_watch_lost(const std::string& why) {
    if (stopped) {
      return;
    }
    ++stats.watch_losses;
    spdlog::warn("lost the inotify watch on {} ({}); retrying every {} ms", options.dir.string(),
                 why, options.poll_interval.count());
    scan();
    arm_rewatch_timer();
  }

  void arm_rewatch_timer() {
    rewatch_timer.expires_after(options.poll_interval);
    rewatch_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->stopped || !self->inotify) {
        return;
      }
      if (self->inotify->rewatch()) {
        self->scan();
      } else {
        self->scan();
        self->arm_rewatch_timer();
      }
    });
  }

  // --- reports --------------------------------------------------------------------------------

  void report_symlink(const std::string& name) {
    tracker.removed(name);
    const auto [it, inserted] = reported.emplace(name, kSymlinkReport);
    if (!inserted && it->second == kSymlinkReport) {
      return;
    }
    it->second = kSymlinkReport;
    const auto path = options.dir / name;
    spdlog::debug("{} is a symlink; reported, never followed", path.string());
    if (callbacks.on_symlink) {
      callbacks.on_symlink(path);
    }
  }

  void report_ignored(const std::string& name, const std::string& reason) {
    tracker.removed(name);
    const auto [it, inserted] = reported.emplace(name, reason);
    if (!inserted && it->second == reason) {
      return;
    }
    it->second = reason;
    const auto path = options.dir / name;
    spdlog::debug("{} is ignored: {}", path.string(), reason);
    if (callbacks.on_ignored) {
      callbacks.on_ignored(path, reason);
    }
  }

  boost::asio::io_context& io;
  FileWatcherOptions options;
  FileWatcherCallbacks callbacks;
  ReadinessTracker tracker;
  WatchMode mode;
  std::unique_ptr<InotifyWatcher> inotify;
  boost::asio::steady_timer rescan_timer;
  boost::asio::steady_timer tick_timer;
  boost::asio::steady_timer rewatch_timer;
  bool tick_armed = false;
  Clock::time_point tick_at;
  bool started = false;
  bool stopped = false;
  bool scan_failing = false;
  /// Names already reported as symlink or ignored, with what was said, so each is said once.
  std::map<std::string, std::string> reported;
  FileWatcherStats stats;
};

FileWatcher::FileWatcher(boost::asio::io_context& io, FileWatcherOptions options,
                         FileWatcherCallbacks callbacks)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(callbacks))) {}

FileWatcher::~FileWatcher() {
  impl_->stop();
}

void FileWatcher::start() {
  impl_->start();
}

void FileWatcher::stop() {
  impl_->stop();
}

void FileWatcher::forget(const std::filesystem::path& file) {
  impl_->tracker.forget(file.filename().string());
}

void FileWatcher::rescan_now() {
  impl_->scan();
}

std::vector<PendingFile> FileWatcher::pending_files() const {
  return impl_->tracker.pending();
}

FileWatcherStats FileWatcher::stats() const {
  return impl_->stats;
}

WatchMode FileWatcher::mode() const {
  return impl_->mode;
}

}  // namespace dp::watch
