#include <utility>  // before Asio: Boost 1.74 with GCC 12 in C++20 needs std::exchange declared

#include "core/watch/inotify_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "core/watch/inotify_event_parser.hpp"

namespace dp::watch {
namespace {

constexpr std::uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY |
                                     IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF |
                                     IN_ONLYDIR;

/// Room for hundreds of records per read; a single record needs at most
/// sizeof(inotify_event) + NAME_MAX + 1 bytes.
constexpr std::size_t kReadBufferSize = 64 * 1024;

/// One inotify descriptor with its watch, its read buffer and its parser; replaced as a whole by
/// rewatch() so that nothing of an old watch (descriptor, queued records) leaks into the new one.
struct Instance {
  explicit Instance(boost::asio::io_context& io) : descriptor(io) {}
  boost::asio::posix::stream_descriptor descriptor;
  std::array<char, kReadBufferSize> buffer{};
  InotifyEventParser parser;
  int wd = -1;
  bool lost = false;
  bool closed = false;
};

}  // namespace

struct InotifyWatcher::Impl : std::enable_shared_from_this<InotifyWatcher::Impl> {
  Impl(boost::asio::io_context& io_context, std::filesystem::path folder, InotifyCallbacks cbs)
      : io(io_context), dir(std::move(folder)), callbacks(std::move(cbs)) {}

  std::shared_ptr<Instance> open_instance() {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      throw std::system_error(errno, std::generic_category(), "inotify_init1");
    }
    const int wd = ::inotify_add_watch(fd, dir.c_str(), kWatchMask);
    if (wd < 0) {
      const int error = errno;
      ::close(fd);
      throw std::system_error(error, std::generic_category(), "inotify_add_watch " + dir.string());
    }
    auto instance = std::make_shared<Instance>(io);
    instance->descriptor.assign(fd);
    instance->wd = wd;
    return instance;
  }

  void close_instance() {
    if (!current) {
      return;
    }
    current->closed = true;
    boost::system::error_code ignored;
    current->descriptor.close(ignored);
    current.reset();
  }

  void read_next(const std::shared_ptr<Instance>& instance) {
    instance->descriptor.async_read_some(
        boost::asio::buffer(instance->buffer),
        [self = shared_from_this(), instance](const boost::system::error_code& ec,
                                              std::size_t bytes) {
          self->on_read(instance, ec, bytes);
        });
  }

  void on_read(const std::shared_ptr<Instance>& instance, const boost::system::error_code& ec,
               std::size_t bytes) {
    if (instance->closed) {
      return;
    }
    if (ec) {
      spdlog::error("inotify read on {} failed: {}", dir.string(), ec.message());
      lose(instance, "inotify read failed: " + ec.message());
      return;
    }
    dispatch(instance,
             instance->parser.feed(std::span<const char>(instance->buffer.data(), bytes)));
    if (!instance->closed) {
      read_next(instance);
    }
  }

  void flush(std::vector<FolderEvent>& batch) {
    if (!batch.empty() && callbacks.on_events) {
      callbacks.on_events(batch);
    }
    batch.clear();
  }

  void lose(const std::shared_ptr<Instance>& instance, const std::string& why) {
    if (instance->lost) {
      return;
    }
    instance->lost = true;
    if (callbacks.on_watch_lost) {
      callbacks.on_watch_lost(why);
    }
  }

  void dispatch(const std::shared_ptr<Instance>& instance,
                const std::vector<RawInotifyEvent>& records) {
    std::vector<FolderEvent> batch;
    for (const RawInotifyEvent& record : records) {
      if (instance->closed) {
        return;
      }
      if ((record.mask & IN_Q_OVERFLOW) != 0) {
        flush(batch);
        spdlog::warn("inotify queue overflow on {}: events lost, rescanning", dir.string());
        if (callbacks.on_overflow) {
          callbacks.on_overflow();
        }
        continue;
      }
      if (record.wd != instance->wd || instance->lost) {
        continue;
      }
      if ((record.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) != 0) {
        flush(batch);
        const char* why = (record.mask & IN_MOVE_SELF) != 0     ? "folder moved away"
                          : (record.mask & IN_UNMOUNT) != 0     ? "file system unmounted"
                          : (record.mask & IN_DELETE_SELF) != 0 ? "folder deleted"
                                                                : "watch removed";
        spdlog::warn("inotify watch on {} ended: {}", dir.string(), why);
        lose(instance, why);
        continue;
      }
      const bool is_directory = (record.mask & IN_ISDIR) != 0;
      const auto add = [&](std::uint32_t bit, FolderEventKind kind) {
        if ((record.mask & bit) != 0) {
          batch.push_back(FolderEvent{kind, record.name, is_directory});
        }
      };
      add(IN_CREATE, FolderEventKind::kCreated);
      add(IN_MOVED_TO, FolderEventKind::kMovedIn);
      add(IN_MODIFY, FolderEventKind::kModified);
      add(IN_CLOSE_WRITE, FolderEventKind::kClosedAfterWrite);
      add(IN_MOVED_FROM, FolderEventKind::kMovedOut);
      add(IN_DELETE, FolderEventKind::kDeleted);
    }
    flush(batch);
  }

  boost::asio::io_context& io;
  std::filesystem::path dir;
  InotifyCallbacks callbacks;
  std::shared_ptr<Instance> current;
};

InotifyWatcher::InotifyWatcher(boost::asio::io_context& io, std::filesystem::path dir,
                               InotifyCallbacks callbacks)
    : impl_(std::make_shared<Impl>(io, std::move(dir), std::move(callbacks))) {}

InotifyWatcher::~InotifyWatcher() {
  stop();
}

void InotifyWatcher::start() {
  impl_->close_instance();
  impl_->current = impl_->open_instance();
  impl_->read_next(impl_->current);
}

bool InotifyWatcher::rewatch() {
  impl_->close_instance();
  try {
    impl_->current = impl_->open_instance();
  } catch (const std::system_error& error) {
    spdlog::debug("inotify watch on {} not restored yet: {}", impl_->dir.string(), error.what());
    return false;
  }
  spdlog::info("inotify watch on {} restored", impl_->dir.string());
  impl_->read_next(impl_->current);
  return true;
}

void InotifyWatcher::stop() {
  impl_->close_instance();
}

bool InotifyWatcher::watching() const {
  return impl_->current && !impl_->current->lost;
}

}  // namespace dp::watch
