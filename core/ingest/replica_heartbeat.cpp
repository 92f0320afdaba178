#include "core/ingest/replica_heartbeat.hpp"

#include <unistd.h>

#include <array>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "core/db/libpq_connection.hpp"

namespace dp::ingest {
namespace {

constexpr const char* kBeat =
    "INSERT INTO ingest.replicas (replica_id, host, pid, files_read, claimed) "
    "VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (replica_id) DO UPDATE SET "
    "host = EXCLUDED.host, pid = EXCLUDED.pid, last_seen = now(), stopped_at = NULL, "
    "files_read = EXCLUDED.files_read, claimed = EXCLUDED.claimed, "
    "started_at = CASE WHEN ingest.replicas.pid = EXCLUDED.pid AND "
    "ingest.replicas.stopped_at IS NULL THEN ingest.replicas.started_at ELSE now() END";
constexpr const char* kStopped =
    "UPDATE ingest.replicas SET last_seen = now(), stopped_at = now(), claimed = '[]', "
    "files_read = $2 WHERE replica_id = $1";

std::string host_name() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) {
    return "unknown";
  }
  return host.data();
}

}  // namespace

struct ReplicaHeartbeat::Impl {
  explicit Impl(ReplicaHeartbeatOptions heartbeat_options)
      : options(std::move(heartbeat_options)), host(host_name()) {}

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      lock.unlock();
      beat(false);
      lock.lock();
      if (wake.wait_for(lock, options.interval, [this] { return stopping; })) {
        break;
      }
    }
    lock.unlock();
    beat(true);
  }

  void beat(bool last) {
    const auto state = options.state ? options.state() : ReplicaState{};
    try {
      if (connection == nullptr || !connection->is_open()) {
        connection = std::make_unique<db::LibpqConnection>(options.conninfo);
      }
      if (last) {
        connection->exec_params(kStopped, {options.replica_id, std::to_string(state.files_read)});
        return;
      }
      connection->exec_params(
          kBeat,
          {options.replica_id, host, std::to_string(::getpid()), std::to_string(state.files_read),
           nlohmann::json(state.claimed)
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    } catch (const std::exception& error) {
      connection.reset();
      spdlog::debug("replica heartbeat not written: {}", error.what());
    }
  }

  ReplicaHeartbeatOptions options;
  std::string host;
  std::unique_ptr<db::LibpqConnection> connection;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;
};

ReplicaHeartbeat::ReplicaHeartbeat(ReplicaHeartbeatOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ReplicaHeartbeat::~ReplicaHeartbeat() {
  stop();
}

void ReplicaHeartbeat::start() {
  impl_->thread = std::thread([this] { impl_->run(); });
}

void ReplicaHeartbeat::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
}

}  // namespace dp::ingest
