#include "core/watch/readiness.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace dp::watch {

const char* to_string(ReadyReason reason) {
  switch (reason) {
    case ReadyReason::kRenamedIn:
      return "renamed in";
    case ReadyReason::kClosedAndSettled:
      return "closed and settled";
    case ReadyReason::kQuietAfterScan:
      return "quiet since scanned";
    case ReadyReason::kWriterGone:
      return "writer gone";
  }
  return "unknown";
}

ReadinessTracker::ReadinessTracker(ReadinessOptions options) : options_(options) {}

ReadinessTracker::Entry& ReadinessTracker::start_incarnation(const std::string& name, Phase phase,
                                                             Clock::time_point now) {
  Entry& entry = entries_[name];
  entry = Entry{};
  entry.phase = phase;
  entry.first_seen = now;
  entry.last_change = now;
  entry.not_before = now;
  return entry;
}

void ReadinessTracker::renamed_in(const std::string& name, Clock::time_point now,
                                  std::optional<FileStat> stat) {
  start_incarnation(name, Phase::kRenamed, now).stat = stat;
}

void ReadinessTracker::closed_after_write(const std::string& name, Clock::time_point now) {
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    start_incarnation(name, Phase::kClosed, now);
    return;
  }
  Entry& entry = it->second;
  // Every change of content raises IN_MODIFY first; a bare close (a writer that renamed the file
  // in and then closed it, or opened it for writing and wrote nothing) leaves it as it was.
  if (entry.phase == Phase::kHandedOut || entry.phase == Phase::kRenamed) {
    return;
  }
  entry.phase = Phase::kClosed;
  entry.last_change = now;
  entry.not_before = now;
  entry.stat.reset();
}

void ReadinessTracker::modified(const std::string& name, Clock::time_point now) {
  const auto it = entries_.find(name);
  if (it == entries_.end() || it->second.phase == Phase::kHandedOut) {
    start_incarnation(name, Phase::kWriting, now);
    return;
  }
  Entry& entry = it->second;
  entry.phase = Phase::kWriting;
  entry.last_change = now;
  entry.not_before = now;
  entry.stat.reset();
}

void ReadinessTracker::seen_by_scan(const std::string& name, const FileStat& stat,
                                    Clock::time_point now) {
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    start_incarnation(name, Phase::kScanned, now).stat = stat;
    return;
  }
  Entry& entry = it->second;
  if (entry.stat && *entry.stat == stat) {
    return;
  }
  if (entry.phase == Phase::kHandedOut) {
    if (entry.stat) {
      // Different size, mtime or inode under a handed-out name: new content arrived unseen by
      // inotify (poll mode, lost events).
      start_incarnation(name, Phase::kScanned, now).stat = stat;
    } else {
      entry.stat = stat;
    }
    return;
  }
  if (entry.stat) {
    entry.last_change = now;
  } else if (entry.phase == Phase::kScanned) {
    // A scan-only file whose stat was unknown (after lost events) starts its quiet period now.
    entry.last_change = now;
  }
  entry.stat = stat;
}

void ReadinessTracker::removed(const std::string& name) {
  entries_.erase(name);
}

void ReadinessTracker::forget(const std::string& name) {
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    return;
  }
  if (it->second.phase != Phase::kHandedOut) {
    spdlog::debug("watch: {} was replaced after it was handed out; keeping the new file", name);
    return;
  }
  entries_.erase(it);
}

void ReadinessTracker::events_lost(Clock::time_point now) {
  for (auto& [name, entry] : entries_) {
    if (entry.phase == Phase::kHandedOut) {
      continue;
    }
    entry.phase = Phase::kScanned;
    entry.last_change = now;
    entry.not_before = now;
    entry.stat.reset();
  }
}

std::optional<ReadinessTracker::Clock::time_point> ReadinessTracker::deadline_of(
    const Entry& entry) const {
  switch (entry.phase) {
    case Phase::kHandedOut:
      return std::nullopt;
    case Phase::kRenamed:
      return entry.last_change;
    case Phase::kClosed:
    case Phase::kScanned:
      return std::max(entry.last_change + options_.settle, entry.not_before);
    case Phase::kWriting:
      return std::max(entry.last_change + options_.unclosed_grace, entry.not_before);
  }
  return std::nullopt;
}

ReadinessTracker::Outcome ReadinessTracker::verify_due_entry(const std::string& name, Entry& entry,
                                                             Clock::time_point now,
                                                             const Verifier& verify) const {
  const Verification seen = verify(name);
  if (!seen.stat) {
    return Outcome::kGone;
  }
  const bool changed = entry.stat.has_value() && *entry.stat != *seen.stat;
  const bool first_look = !entry.stat.has_value();
  entry.stat = seen.stat;
  if (changed || (first_look && entry.phase == Phase::kScanned)) {
    // Still changing (or never measured): the quiet period starts again.
    entry.last_change = now;
    return Outcome::kWait;
  }
  if (seen.writer == WriterState::kWriterOpen) {
    spdlog::debug("watch: {} is quiet but still open for writing; waiting", name);
    entry.not_before =
        now + (entry.phase == Phase::kWriting ? options_.unclosed_grace : options_.writer_recheck);
    return Outcome::kWait;
  }
  if (entry.phase == Phase::kWriting && seen.writer != WriterState::kNoWriter) {
    // Never closed and the probe cannot vouch: a paused writer looks exactly like this.
    entry.not_before = now + options_.unclosed_grace;
    return Outcome::kWait;
  }
  return Outcome::kReady;
}

std::vector<ReadyFile> ReadinessTracker::poll(Clock::time_point now, const Verifier& verify) {
  std::vector<ReadyFile> ready;
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& entry = it->second;
    const auto deadline = deadline_of(entry);
    if (!deadline || *deadline > now) {
      ++it;
      continue;
    }
    ReadyReason reason = ReadyReason::kRenamedIn;
    switch (entry.phase) {
      case Phase::kRenamed:
        reason = ReadyReason::kRenamedIn;
        break;
      case Phase::kClosed:
        reason = ReadyReason::kClosedAndSettled;
        break;
      case Phase::kScanned:
        reason = ReadyReason::kQuietAfterScan;
        break;
      case Phase::kWriting:
        reason = ReadyReason::kWriterGone;
        break;
      case Phase::kHandedOut:
        break;
    }
    if (entry.phase != Phase::kRenamed) {
      const Outcome outcome = verify_due_entry(it->first, entry, now, verify);
      if (outcome == Outcome::kGone) {
        it = entries_.erase(it);
        continue;
      }
      if (outcome == Outcome::kWait) {
        ++it;
        continue;
      }
    }
    entry.phase = Phase::kHandedOut;
    ready.push_back(ReadyFile{it->first, reason});
    ++it;
  }
  return ready;
}

std::optional<ReadinessTracker::Clock::time_point> ReadinessTracker::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [name, entry] : entries_) {
    const auto deadline = deadline_of(entry);
    if (deadline && (!earliest || *deadline < *earliest)) {
      earliest = deadline;
    }
  }
  return earliest;
}

std::vector<PendingFile> ReadinessTracker::pending() const {
  std::vector<PendingFile> files;
  for (const auto& [name, entry] : entries_) {
    if (entry.phase != Phase::kHandedOut) {
      files.push_back(PendingFile{name, entry.first_seen, {}});
    }
  }
  return files;
}

std::vector<std::string> ReadinessTracker::known_names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) {
    names.push_back(name);
  }
  return names;
}

bool ReadinessTracker::is_handed_out(const std::string& name) const {
  const auto it = entries_.find(name);
  return it != entries_.end() && it->second.phase == Phase::kHandedOut;
}

}  // namespace dp::watch
