#include "core/csv/csv_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace dp::csv {

CsvBuffer::CsvBuffer(ByteSource& source, std::size_t chunk_bytes, std::size_t max_bytes,
                     std::uint64_t first_offset)
    : source_(source),
      chunk_bytes_(std::max<std::size_t>(chunk_bytes, 1)),
      max_bytes_(std::max(max_bytes, 2 * chunk_bytes_)),
      // Two chunks: a carried partial record (usually short) still leaves a full chunk to read.
      data_(std::make_unique<char[]>(2 * chunk_bytes_ + kPadding)),
      capacity_(2 * chunk_bytes_),
      base_offset_(first_offset) {}

bool CsvBuffer::refill() {
  if (end_of_input_) {
    return false;
  }
  const std::size_t carried = end_ - begin_;
  if (carried + chunk_bytes_ > capacity_ && capacity_ < max_bytes_) {
    // Doubling (bounded) keeps a long record's total copying linear: with a fixed chunk a
    // 16 MiB record would be moved to the front 64 times.
    const std::size_t grown = std::min(std::max(capacity_ * 2, carried + chunk_bytes_), max_bytes_);
    auto larger = std::make_unique<char[]>(grown + kPadding);
    std::memcpy(larger.get(), data_.get() + begin_, carried);
    data_ = std::move(larger);
    capacity_ = grown;
  } else if (begin_ > 0) {
    std::memmove(data_.get(), data_.get() + begin_, carried);
  }
  base_offset_ += begin_;
  begin_ = 0;
  end_ = carried;
  if (capacity_ == carried) {
    throw std::length_error("CsvBuffer: a record filled the whole buffer; consume it first");
  }
  // Ask for all the free space: after a doubling that is about the record's size again.
  const std::size_t got = source_.read(data_.get() + end_, capacity_ - end_);
  if (got == 0) {
    end_of_input_ = true;
    return false;
  }
  end_ += got;
  return true;
}

}  // namespace dp::csv
