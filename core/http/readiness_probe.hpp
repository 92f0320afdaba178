#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace dp::http {

/// Result of one readiness check: empty reason means ready.
struct ReadinessState {
  bool ready = false;
  /// One line saying what is missing ("database unreachable: ..."), for the 503 body.
  std::string reason = "readiness not checked yet";
};

/// A blocking check (connect to the database, compare migrations); returns nullopt when ready,
/// else the reason. May throw: the exception text becomes the reason.
using ReadinessCheck = std::function<std::optional<std::string>()>;

/// Runs a blocking readiness check on its own thread every `interval` and caches the result,
/// so /readyz answers from the cache and never blocks the event loop.
class ReadinessProbe {
 public:
  ReadinessProbe(ReadinessCheck check, std::chrono::milliseconds interval);
  /// Stops and joins the probe thread; never throws.
  ~ReadinessProbe();
  ReadinessProbe(const ReadinessProbe&) = delete;
  ReadinessProbe& operator=(const ReadinessProbe&) = delete;

  /// The last result (any thread).
  ReadinessState state() const;
  /// Whether at least one check has completed (tests wait for it).
  bool checked() const;

 private:
  void loop();

  ReadinessCheck check_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  ReadinessState state_;
  bool checked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dp::http
