#include <utility>

#include "core/notify/notifier.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "core/metrics/metrics_registry.hpp"
#include "core/metrics/service_metrics.hpp"

namespace dp::notify {

namespace asio = boost::asio;

namespace {

/// Names a summary lists before "…", so one message stays readable.
constexpr std::size_t kSummaryNames = 10;

const char* plural_text(EventKind kind) {
  switch (kind) {
    case EventKind::kFileFailed:
      return "files failed";
    case EventKind::kFileQuarantined:
      return "files were quarantined";
    case EventKind::kFileLoaded:
      return "files were loaded";
    case EventKind::kStaleFile:
      return "files are stale in imports/";
    case EventKind::kWarehouseStarted:
      return "warehouse runs started";
    case EventKind::kWarehouseSucceeded:
      return "warehouse runs succeeded";
    case EventKind::kWarehouseFailed:
      return "warehouse runs failed";
  }
  return "events";
}

std::string window_text(std::chrono::milliseconds window) {
  if (window == std::chrono::minutes(1)) {
    return "the last minute";
  }
  return fmt::format("the last {} s", std::chrono::duration<double>(window).count());
}

}  // namespace

const char* to_string(EventKind kind) {
  switch (kind) {
    case EventKind::kFileFailed:
      return "file_failed";
    case EventKind::kFileQuarantined:
      return "file_quarantined";
    case EventKind::kFileLoaded:
      return "file_loaded";
    case EventKind::kStaleFile:
      return "stale_file";
    case EventKind::kWarehouseStarted:
      return "warehouse_started";
    case EventKind::kWarehouseSucceeded:
      return "warehouse_succeeded";
    case EventKind::kWarehouseFailed:
      return "warehouse_failed";
  }
  return "unknown";
}

std::string event_text(const Event& event) {
  std::string head;
  switch (event.kind) {
    case EventKind::kFileFailed:
      head = "❌ file failed: ";
      break;
    case EventKind::kFileQuarantined:
      head = "⚠️ file quarantined: ";
      break;
    case EventKind::kFileLoaded:
      head = "✅ file loaded: ";
      break;
    case EventKind::kStaleFile:
      head = "⏳ stale file in imports/: ";
      break;
    case EventKind::kWarehouseStarted:
      head = "▶️ warehouse run started: ";
      break;
    case EventKind::kWarehouseSucceeded:
      head = "✅ warehouse run succeeded: ";
      break;
    case EventKind::kWarehouseFailed:
      head = "❌ warehouse run failed: ";
      break;
  }
  return event.detail.empty() ? head + event.subject
                              : fmt::format("{}{} — {}", head, event.subject, event.detail);
}

struct Notifier::Impl : std::enable_shared_from_this<Notifier::Impl> {
  struct Channel {
    std::string name;
    PostUrl url;
    std::deque<std::string> queue;
    bool busy = false;
  };
  struct Burst {
    std::size_t sent = 0;
    std::size_t folded = 0;
    std::vector<std::string> names;
  };

  Impl(asio::io_context& io_context, NotifierOptions notifier_options,
       metrics::MetricsRegistry* registry)
      : io(io_context),
        options(std::move(notifier_options)),
        metrics(registry),
        poster(io_context, options.tls),
        timer(io_context) {}

  void handle(const Event& event) {
    if (stopping) {
      enqueue(event, event_text(event));
      return;
    }
    if (!window_open) {
      window_open = true;
      timer.expires_after(options.summary_window);
      timer.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
        if (const auto self = weak.lock(); self && !error) {
          self->flush_window();
        }
      });
    }
    auto& burst = bursts[event.kind];
    if (burst.sent < options.burst_limit) {
      ++burst.sent;
      enqueue(event, event_text(event));
      return;
    }
    ++burst.folded;
    if (burst.names.size() < kSummaryNames) {
      burst.names.push_back(event.subject);
    }
  }

  void flush_window() {
    window_open = false;
    for (auto& [kind, burst] : bursts) {
      if (burst.folded == 0) {
        continue;
      }
      std::string names;
      for (const auto& name : burst.names) {
        names += names.empty() ? name : ", " + name;
      }
      if (burst.folded > burst.names.size()) {
        names += ", …";
      }
      Event summary{kind, fmt::format("{} more", burst.folded), names};
      enqueue(summary, fmt::format("{} more {} in {}: {}", burst.folded, plural_text(kind),
                                   window_text(options.summary_window), names));
    }
    bursts.clear();
  }

  void enqueue(const Event& event, const std::string& text) {
    for (std::size_t index = 0; index < channels.size(); ++index) {
      auto& channel = channels[index];
      if (channel.queue.size() >= options.queue_capacity) {
        channel.queue.pop_front();
        count(metrics::kNotificationsDroppedTotal, channel.name);
        spdlog::warn("notify: {} queue full; dropped the oldest message", channel.name);
      }
      nlohmann::json body;
      if (channel.name == "telegram") {
        body = {{"chat_id", options.telegram_chat_id},
                {"text", text},
                {"disable_web_page_preview", true}};
      } else {
        body = {{"service", "dataprocessor"},
                {"event", to_string(event.kind)},
                {"subject", event.subject},
                {"detail", event.detail},
                {"text", text}};
      }
      // A file name or reason may hold any bytes: invalid UTF-8 is replaced rather than thrown
      // on, here on the event loop.
      channel.queue.push_back(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      pump(index);
    }
  }

  /// Whether nothing is queued or in flight: a stopping notifier then releases the io_context.
  bool idle() const {
    return std::all_of(channels.begin(), channels.end(), [](const Channel& channel) {
      return !channel.busy && channel.queue.empty();
    });
  }

  void pump(std::size_t index) {
    auto& channel = channels[index];
    if (abandoned) {
      channel.queue.clear();
      return;
    }
    if (channel.busy || channel.queue.empty()) {
      if (stopping && idle()) {
        timer.cancel();
      }
      return;
    }
    channel.busy = true;
    std::string body = std::move(channel.queue.front());
    channel.queue.pop_front();
    poster.post(channel.url, "application/json", std::move(body), options.timeout,
                [weak = weak_from_this(), index](const std::string& error) {
                  const auto self = weak.lock();
                  if (!self) {
                    return;
                  }
                  auto& done_channel = self->channels[index];
                  done_channel.busy = false;
                  if (error.empty()) {
                    self->count(metrics::kNotificationsSentTotal, done_channel.name);
                  } else {
                    self->count(metrics::kNotificationsFailedTotal, done_channel.name);
                    spdlog::warn("notify: {} delivery failed: {}", done_channel.name, error);
                  }
                  self->pump(index);
                });
  }

  void count(const char* metric, const std::string& channel) {
    if (metrics != nullptr) {
      metrics->add(metric, {{"channel", channel}});
    }
  }

  asio::io_context& io;
  NotifierOptions options;
  metrics::MetricsRegistry* metrics;
  HttpPoster poster;
  asio::steady_timer timer;
  bool window_open = false;
  /// After stop(): no new windows; after one more timeout, undelivered messages are dropped
  /// so that shutdown waits a bounded time.
  bool stopping = false;
  bool abandoned = false;
  std::map<EventKind, Burst> bursts;
  std::vector<Channel> channels;
};

Notifier::Notifier(asio::io_context& io, NotifierOptions options, metrics::MetricsRegistry* metrics)
    : impl_(std::make_shared<Impl>(io, std::move(options), metrics)) {
  const auto& opts = impl_->options;
  if (!opts.telegram_bot_token.empty() && !opts.telegram_chat_id.empty()) {
    auto base = opts.telegram_api_url;
    while (!base.empty() && base.back() == '/') {
      base.pop_back();
    }
    const auto url =
        parse_post_url(fmt::format("{}/bot{}/sendMessage", base, opts.telegram_bot_token));
    if (!url) {
      throw std::runtime_error(
          fmt::format("telegram_api_url \"{}\" is not an http(s) URL", opts.telegram_api_url));
    }
    impl_->channels.push_back({"telegram", *url, {}, false});
  }
  if (!opts.webhook_url.empty()) {
    const auto url = parse_post_url(opts.webhook_url);
    if (!url) {
      throw std::runtime_error("webhook_url is not an http(s) URL");
    }
    impl_->channels.push_back({"webhook", *url, {}, false});
  }
}

Notifier::~Notifier() = default;

bool Notifier::enabled() const {
  return !impl_->channels.empty();
}

void Notifier::notify(Event event) {
  if (!enabled()) {
    return;
  }
  asio::post(impl_->io, [weak = std::weak_ptr<Impl>(impl_), event = std::move(event)] {
    if (const auto self = weak.lock()) {
      self->handle(event);
    }
  });
}

void Notifier::stop() {
  auto& impl = *impl_;
  if (impl.stopping) {
    return;
  }
  impl.stopping = true;
  impl.timer.cancel();
  impl.flush_window();
  if (impl.idle()) {
    return;
  }
  impl.timer.expires_after(std::min(impl.options.shutdown_drain, impl.options.timeout));
  impl.timer.async_wait(
      [weak = std::weak_ptr<Impl>(impl_)](const boost::system::error_code& error) {
        const auto self = weak.lock();
        if (!self || error) {
          return;
        }
        self->abandoned = true;
        for (auto& channel : self->channels) {
          channel.queue.clear();
        }
        self->poster.cancel_all();
      });
}

}  // namespace dp::notify
