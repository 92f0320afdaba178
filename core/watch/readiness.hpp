#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/watch/file_stat.hpp"
#include "core/watch/open_writer_probe.hpp"

namespace dp::watch {

/// Why a file was judged complete; logged with the hand-out so a wrong judgement can be traced.
enum class ReadyReason {
  /// Renamed into the folder (IN_MOVED_TO): writers rename a finished file, so it is ready at once.
  kRenamedIn,
  /// Closed after writing (IN_CLOSE_WRITE) and then quiet for the settle time.
  kClosedAndSettled,
  /// Known only from scans (poll mode, start-up, after lost events): quiet for the settle time
  /// and the writer probe saw no writer (or could not tell).
  kQuietAfterScan,
  /// Written but never closed as far as inotify saw (a hard link, a lost event), quiet for the
  /// unclosed grace period, and the writer probe proved that nobody has it open for writing.
  kWriterGone,
};

/// "renamed in", "closed and settled", ... for logs.
const char* to_string(ReadyReason reason);

/// Timing rules of the tracker; the defaults suit local writers on one machine.
struct ReadinessOptions {
  /// How long a closed or scanned file must stay unchanged: long enough for a writer that closes
  /// and reopens (or a copy tool finishing metadata) to show itself.
  std::chrono::milliseconds settle{200};
  /// How long a file that was written but never closed must be quiet before the writer probe is
  /// asked at all; a writer pausing with the file open keeps it waiting beyond this.
  std::chrono::milliseconds unclosed_grace{10'000};
  /// How long to wait before asking the probe again after it saw a writer.
  std::chrono::milliseconds writer_recheck{1'000};
};

/// What the tracker needs to know just before it hands a file out: whether it still exists
/// (stat, nullopt when gone) and whether a writer still holds it.
struct Verification {
  std::optional<FileStat> stat;
  WriterState writer = WriterState::kUnknown;
};

/// Looks at the real file; injected so that the tracker itself does no I/O and tests can decide.
using Verifier = std::function<Verification(const std::string& name)>;

/// A file that became complete since the last poll.
struct ReadyFile {
  std::string name;
  ReadyReason reason = ReadyReason::kClosedAndSettled;
};

/// A file still waiting to become complete, for stale-file alerts.
struct PendingFile {
  std::string name;
  std::chrono::steady_clock::time_point first_seen;
  /// Why the file waits, when it is complete but kept for a retry; empty while not complete.
  std::string reason;
};

/// Decides, from observations fed in by the watcher and time passed in by the caller, when each
/// file in the folder is complete; no clock, no sleeping and no I/O of its own, so every rule is
/// unit-testable. A file is handed out once per incarnation (until it is removed, rewritten or
/// replaced).
class ReadinessTracker {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ReadinessTracker(ReadinessOptions options = {});

  /// IN_MOVED_TO: a finished file was renamed in (always a new incarnation); `stat`, when known,
  /// lets a later scan tell whether the file was replaced while events were being lost.
  void renamed_in(const std::string& name, Clock::time_point now,
                  std::optional<FileStat> stat = std::nullopt);
  /// IN_CLOSE_WRITE: a writer closed the file; a close without a write changes nothing.
  void closed_after_write(const std::string& name, Clock::time_point now);
  /// IN_MODIFY / IN_CREATE: the file is being written.
  void modified(const std::string& name, Clock::time_point now);
  /// A directory scan found the file with this size, mtime and inode.
  void seen_by_scan(const std::string& name, const FileStat& stat, Clock::time_point now);
  /// IN_DELETE / IN_MOVED_FROM, or a scan no longer lists the file.
  void removed(const std::string& name);
  /// The engine moved the handed-out file away; kept when a new file already took the name.
  void forget(const std::string& name);
  /// Events were lost (queue overflow): trust no inotify-derived state of pending files and
  /// judge them like scan-only files; handed-out files stay handed out.
  void events_lost(Clock::time_point now);

  /// Files that became complete by `now`, each returned once; `verify` is called only for files
  /// whose quiet period has passed and that were not renamed in.
  std::vector<ReadyFile> poll(Clock::time_point now, const Verifier& verify);

  /// When poll() may next return something; nullopt when nothing is pending.
  std::optional<Clock::time_point> next_deadline() const;
  /// Files not yet handed out, by name.
  std::vector<PendingFile> pending() const;
  /// Every name the tracker holds (pending or handed out), to diff against a scan.
  std::vector<std::string> known_names() const;
  /// True when the name is handed out and not yet seen anew.
  bool is_handed_out(const std::string& name) const;

 private:
  enum class Phase { kRenamed, kWriting, kClosed, kScanned, kHandedOut };

  struct Entry {
    Phase phase = Phase::kScanned;
    Clock::time_point first_seen;
    Clock::time_point last_change;
    /// Earliest time to ask the verifier again after it saw a writer.
    Clock::time_point not_before;
    /// Last stat seen; cleared by inotify write events, which supersede it.
    std::optional<FileStat> stat;
  };

  Entry& start_incarnation(const std::string& name, Phase phase, Clock::time_point now);
  std::optional<Clock::time_point> deadline_of(const Entry& entry) const;
  enum class Outcome { kWait, kReady, kGone };
  /// Asks the verifier about one entry whose quiet period has passed.
  Outcome verify_due_entry(const std::string& name, Entry& entry, Clock::time_point now,
                           const Verifier& verify) const;

  ReadinessOptions options_;
  std::map<std::string, Entry> entries_;
};

}  // namespace dp::watch
