#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/csv/input_source.hpp"

namespace dp::csv {

/// The window of input the reader scans. Bytes before `begin()` are consumed; the rest (the
/// record in progress) is moved to the front on refill, so a record's bytes are always
/// contiguous and can be handed out as string_views without copying.
class CsvBuffer {
 public:
  /// Zeroed bytes kept readable past end(), so that word-at-a-time scans need no tail loop.
  static constexpr std::size_t kPadding = 16;

  /// `chunk_bytes` is the size of each read; the buffer never grows beyond `max_bytes`
  /// (at least 2 * chunk_bytes), which bounds memory whatever the input holds.
  /// `first_offset` is the input offset of the source's first byte (a part of a file).
  CsvBuffer(ByteSource& source, std::size_t chunk_bytes, std::size_t max_bytes,
            std::uint64_t first_offset = 0);

  /// First unconsumed byte.
  const char* begin() const noexcept { return data_.get() + begin_; }
  /// One past the last byte read so far.
  const char* end() const noexcept { return data_.get() + end_; }
  /// Unconsumed bytes.
  std::size_t size() const noexcept { return end_ - begin_; }

  /// Marks everything before `position` (within [begin(), end()]) as consumed.
  void consume_to(const char* position) noexcept {
    begin_ = static_cast<std::size_t>(position - data_.get());
  }
  /// Drops all unconsumed bytes: how an over-long record is skipped without being held.
  void consume_all() noexcept { begin_ = end_; }

  /// Moves the unconsumed bytes to the front and appends at least one byte from the source.
  /// Returns false at the end of the input. Invalidates pointers into the buffer; offsets
  /// relative to begin() stay valid.
  bool refill();

  /// Offset of `position` in the whole (decompressed) input.
  std::uint64_t offset_of(const char* position) const noexcept {
    return base_offset_ + static_cast<std::uint64_t>(position - data_.get());
  }
  /// True once the source has reported the end of the input.
  bool at_end_of_input() const noexcept { return end_of_input_; }
  /// Current allocation, so tests can check that memory stays bounded.
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  ByteSource& source_;
  std::size_t chunk_bytes_;
  std::size_t max_bytes_;
  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  /// Input offset of data_[0].
  std::uint64_t base_offset_ = 0;
  bool end_of_input_ = false;
};

}  // namespace dp::csv
