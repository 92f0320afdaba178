#pragma once

#include <cstddef>
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>

#include "core/fs/safe_directory.hpp"

namespace dp::log {

/// A size-rotated log file written through core/fs, because logs hold file names and rows'
/// reasons: created with the private output mode, never through a planted link (spdlog's own
/// rotating sink opens paths with fopen, which follows links and creates files 0644).
class PrivateFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  /// Opens (or appends to) `folder/name`; rotated copies are `NAME.1.EXT`, `NAME.2.EXT`, ...
  /// Throws files::UnsafePathError or std::system_error when the file cannot be opened safely.
  PrivateFileSink(files::SafeDirectory folder, std::string name, std::size_t max_bytes,
                  std::size_t max_files);
  ~PrivateFileSink() override;
  PrivateFileSink(const PrivateFileSink&) = delete;
  PrivateFileSink& operator=(const PrivateFileSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override {}

 private:
  void rotate();
  std::string rotated_name(std::size_t index) const;

  files::SafeDirectory folder_;
  std::string name_;
  std::size_t max_bytes_;
  std::size_t max_files_;
  std::size_t size_ = 0;
  int fd_ = -1;
};

}  // namespace dp::log
