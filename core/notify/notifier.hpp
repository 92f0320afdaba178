#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/notify/http_post.hpp"

namespace boost::asio {
class io_context;
}

namespace dp::metrics {
class MetricsRegistry;
}

namespace dp::notify {

/// What happened; the webhook's "event" field and the key that bursts are summarized by.
enum class EventKind {
  kFileFailed,
  kFileQuarantined,
  kFileLoaded,
  kStaleFile,
  kWarehouseStarted,
  kWarehouseSucceeded,
  kWarehouseFailed,
};

/// Stable snake_case name of an event kind (webhook JSON, logs).
const char* to_string(EventKind kind);

/// One event to tell operators about.
struct Event {
  EventKind kind = EventKind::kFileFailed;
  /// What it is about: a file name, or "batch 42".
  std::string subject;
  /// The reason or details (error text, row counts); may be empty.
  std::string detail;
};

/// Where notifications go and how hard delivery may try; built from the settings.
struct NotifierOptions {
  std::string telegram_api_url = "https://api.telegram.org";
  /// Telegram is used when both the token and the chat id are set.
  std::string telegram_bot_token;
  std::string telegram_chat_id;
  /// The JSON webhook is used when set.
  std::string webhook_url;
  TlsOptions tls;
  /// Each delivery attempt ends after this, so a hanging endpoint holds one slot at most.
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  /// At shutdown, undelivered and in-flight messages get this long before they are dropped:
  /// well inside docker's 10 s stop timeout even when an endpoint hangs.
  std::chrono::milliseconds shutdown_drain{std::chrono::seconds(5)};
  /// Messages waiting per channel; when full the oldest is dropped (and counted).
  std::size_t queue_capacity = 100;
  /// Events of one kind beyond `burst_limit` within `summary_window` are folded into one
  /// summary message sent when the window ends.
  std::size_t burst_limit = 3;
  std::chrono::milliseconds summary_window{std::chrono::minutes(1)};
};

/// Sends operator notifications to Telegram and a webhook without ever blocking the caller:
/// events are posted to the io_context, delivered one at a time per channel with a timeout,
/// kept in a bounded queue, and bursts are summarized once per window.
class Notifier {
 public:
  /// `metrics` may be null; when given, sent, failed and dropped notifications are counted.
  /// Throws std::runtime_error on an unusable URL or CA file (a configuration error).
  Notifier(boost::asio::io_context& io, NotifierOptions options, metrics::MetricsRegistry* metrics);
  /// Drops undelivered messages; in-flight posts finish on their own (they hold no pointer
  /// to the notifier).
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  /// Whether any channel is configured (the caller may skip building events otherwise).
  bool enabled() const;
  /// Queues an event; cheap and callable from any thread (the warehouse runner's included).
  void notify(Event event);
  /// Sends pending summaries now and stops the summary timer (clean shutdown).
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// The one-line text of an event as operators read it ("❌ file failed: a.csv — reason").
std::string event_text(const Event& event);

}  // namespace dp::notify
