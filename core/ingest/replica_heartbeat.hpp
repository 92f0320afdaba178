#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dp::ingest {

/// What a replica reports about itself at each beat.
struct ReplicaState {
  /// Names of the files it holds a claim on.
  std::vector<std::string> claimed;
  /// Files it has claimed and read since it started.
  std::uint64_t files_read = 0;
};

/// How and how often a replica reports itself.
struct ReplicaHeartbeatOptions {
  std::string conninfo;
  std::string replica_id;
  std::chrono::milliseconds interval{std::chrono::seconds(5)};
  /// Called on the heartbeat's thread at each beat (must be thread-safe).
  std::function<ReplicaState()> state;
};

/// Keeps this replica's row in ingest.replicas current (host, pid, last seen, files held) from a
/// thread of its own, so that `--status` on any machine shows which replicas run and what each
/// holds. A database outage only delays the next beat; the row is marked stopped at stop().
class ReplicaHeartbeat {
 public:
  explicit ReplicaHeartbeat(ReplicaHeartbeatOptions options);
  /// Stops; never throws.
  ~ReplicaHeartbeat();
  ReplicaHeartbeat(const ReplicaHeartbeat&) = delete;
  ReplicaHeartbeat& operator=(const ReplicaHeartbeat&) = delete;

  /// Writes the first beat on the thread and goes on every interval.
  void start();
  /// Joins the thread after a last beat that marks the replica stopped.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dp::ingest
