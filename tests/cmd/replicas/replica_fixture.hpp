#pragma once

// Several real service processes ("replicas") on one folder tree and one database, in poll
// mode as on a shared mount: start, kill -9 and restart each one, and read what each logged.

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "tests/cmd/watch/watch_fixture.hpp"

namespace dp::test {

/// The settings every replica in these tests runs with: poll mode, fast scans, a short settle.
inline std::vector<std::string> replica_settings(const std::string& replica_id,
                                                 std::vector<std::string> extra = {}) {
  std::vector<std::string> settings{"watch_mode=poll", "poll_interval_ms=200", "workers=2",
                                    "replica_id=" + replica_id};
  settings.insert(settings.end(), extra.begin(), extra.end());
  return settings;
}

/// One WatchFixture's folders and database shared by several processes of the binary.
class ReplicaFixture {
 public:
  ~ReplicaFixture() {
    for (auto& [id, process] : running_) {
      if (process->running()) {
        process->kill_hard();
      }
    }
  }

  /// Starts replica `id` (again, after a kill) and waits until it watches imports/.
  ServiceProcess& start(const std::string& id, const std::vector<std::string>& extra = {}) {
    ProcessSpec spec;
    spec.args = fx.args(replica_settings(id, extra));
    spec.working_dir = fx.root();
    spec.output_file = fx.root() / (id + "-" + std::to_string(++starts_[id]) + ".log");
    spec.env = {{"DB_STRING", fx.db().conninfo()}};
    logs_.push_back({id, spec.output_file});
    running_[id] = std::make_unique<ServiceProcess>(spec);
    const bool watching = running_[id]->wait_for_output(" workers", 60s);
    INFO("replica " << id << " output:\n" << running_[id]->output());
    REQUIRE(watching);
    return *running_[id];
  }

  ServiceProcess& replica(const std::string& id) { return *running_.at(id); }

  /// Every log file written so far, with the replica that wrote it, in start order.
  struct Log {
    std::string replica;
    fs::path file;
  };
  const std::vector<Log>& logs() const { return logs_; }

  /// How many times each file name was claimed and read, over every log of every replica.
  std::map<std::string, int> reads_per_file() const {
    std::map<std::string, int> reads;
    for (const auto& log : logs_) {
      for (const auto& name : names_logged(read_file_text(log.file), kReadLine)) {
        ++reads[name];
      }
    }
    return reads;
  }

  /// File names in `text` on lines matching `pattern` (its first group is the name).
  static std::vector<std::string> names_logged(const std::string& text, const std::regex& pattern) {
    std::vector<std::string> names;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
         it != std::sregex_iterator(); ++it) {
      names.push_back((*it)[1].str());
    }
    return names;
  }

  /// The line a replica writes before it reads (hashes) a file it claimed.
  inline static const std::regex kReadLine{R"(\] ([^ :]+): claimed by replica [^ ;]+; reading it)"};
  /// The line a replica writes once a file's load is committed.
  inline static const std::regex kLoadedLine{R"(\] ([^ :]+): loaded \d+ rows)"};

  /// Everything the replicas logged, for failure messages (the last `tail` bytes of each log).
  std::string all_output(std::size_t tail = 3000) const {
    std::string text;
    for (const auto& log : logs_) {
      const auto body = read_file_text(log.file);
      text += "=== " + log.file.filename().string() + "\n" +
              body.substr(body.size() > tail ? body.size() - tail : 0) + "\n";
    }
    return text;
  }

  WatchFixture fx;

 private:
  std::map<std::string, std::unique_ptr<ServiceProcess>> running_;
  std::map<std::string, int> starts_;
  std::vector<Log> logs_;
};

}  // namespace dp::test
