#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/db/libpq_connection.hpp"

namespace dp::db {

/// Streams one binary COPY into PostgreSQL over a LibpqConnection: the loader's only way of
/// writing staging rows. Blocking; meant for worker threads. A COPY that is begun and then
/// neither finished nor aborted is aborted by the destructor.
class CopySink {
 public:
  /// Largest message handed to PQputCopyData: bigger messages make client and server take
  /// turns instead of working in parallel (measured 1.6x slower at 1 MiB).
  static constexpr std::size_t kMaxMessageBytes = 64 * 1024;

  explicit CopySink(LibpqConnection& connection) : connection_(connection) {}
  ~CopySink();
  CopySink(const CopySink&) = delete;
  CopySink& operator=(const CopySink&) = delete;

  /// Starts `COPY ... FROM STDIN (FORMAT binary)` and sends the binary stream header.
  void begin(const std::string& copy_sql);
  /// Sends complete tuples (CopyRowWriter::complete_bytes) in messages of at most 64 KiB.
  void write(std::string_view bytes);
  /// Sends the trailer, ends the COPY and returns the number of rows the server copied;
  /// throws PgError with the server's message when the COPY failed.
  std::uint64_t finish();
  /// Makes the server fail the COPY with `reason` (the transaction must then be rolled back).
  /// Never throws: it runs on error paths.
  void abort(std::string_view reason) noexcept;

  /// Whether a COPY is in progress (begun, not yet finished or aborted).
  bool active() const { return active_; }
  /// Bytes sent in the current or last COPY, header and trailer included.
  std::uint64_t bytes_sent() const { return bytes_sent_; }

 private:
  void send(std::string_view bytes);
  /// Collects the results that end the COPY; throws the first error among them.
  std::uint64_t collect_results();
  [[noreturn]] void fail_after_send_error();

  LibpqConnection& connection_;
  bool active_ = false;
  std::uint64_t bytes_sent_ = 0;
};

}  // namespace dp::db
