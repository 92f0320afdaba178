#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/pipeline/active_registry.hpp"

namespace dp::cmd {

/// Re-reads kinds_dir when asked (SIGHUP in watch mode) without a restart: parses every kind
/// file, prepares the new set's staging tables, then puts it in force. A bad file keeps the set
/// in force and logs the error. The work runs on its own thread, never on the event loop;
/// loads already running finish with the declarations they started with.
class KindReloader {
 public:
  /// `prepare` creates or extends the staging tables of a new set (blocking database work);
  /// it throws to refuse the set.
  KindReloader(std::filesystem::path kinds_dir, std::shared_ptr<pipeline::ActiveRegistry> kinds,
               std::function<void(const pipeline::PipelineRegistry&)> prepare);
  /// Waits for a re-read in progress.
  ~KindReloader();
  KindReloader(const KindReloader&) = delete;
  KindReloader& operator=(const KindReloader&) = delete;

  /// Asks for a re-read (any thread, returns at once); requests during a re-read coalesce
  /// into one more.
  void request();

 private:
  void run();
  void reload_once();

  std::filesystem::path kinds_dir_;
  std::shared_ptr<pipeline::ActiveRegistry> kinds_;
  std::function<void(const pipeline::PipelineRegistry&)> prepare_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace dp::cmd
