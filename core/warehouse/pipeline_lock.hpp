#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include <pqxx/connection>

#include "core/config/settings.hpp"

namespace dp::warehouse {

/// Another run holds the warehouse and pipeline_lock=fail: the run did nothing (exit code 1).
struct PipelineBusy : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Only one run may build a warehouse at a time: two runs would take overlapping batches and
/// race on the same dimension rows. A PostgreSQL session advisory lock, so it is released by
/// the server even when the process dies; its key is derived from the warehouse schema, so
/// services with different `dw_schema` in one database do not block each other.
class PipelineLock {
 public:
  /// Takes the lock on `connection`. kWait blocks until the holder finishes, first calling
  /// `on_wait` with a message naming the run in progress; kFail throws PipelineBusy with it.
  PipelineLock(pqxx::connection& connection, const std::string& dw_schema,
               config::PipelineLockPolicy policy,
               const std::function<void(const std::string&)>& on_wait = {});
  /// Releases the lock; never throws (a lost connection has released it already).
  ~PipelineLock();
  PipelineLock(const PipelineLock&) = delete;
  PipelineLock& operator=(const PipelineLock&) = delete;

  /// The advisory lock key, for tests and diagnostics.
  std::int64_t key() const { return key_; }

 private:
  pqxx::connection& connection_;
  std::int64_t key_ = 0;
};

/// Who holds the pipeline lock of `dw_schema`, as a sentence for messages ("the run of batch 12
/// (incremental, started ...), PostgreSQL backend 4242"); empty when nobody does.
std::string describe_lock_holder(pqxx::connection& connection, const std::string& dw_schema);

}  // namespace dp::warehouse
