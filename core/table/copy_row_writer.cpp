#include "core/table/copy_row_writer.hpp"

#include <stdexcept>
#include <string>

namespace dp::table {
namespace {

/// PostgreSQL's type OID for `text`, named in every text[] value.
constexpr std::uint32_t kTextOid = 25;
/// The sign word of a negative numeric in the binary format (positive is 0).
constexpr std::uint16_t kNumericNegative = 0x4000;

constexpr char kHeader[] =
    "PGCOPY\n\377\r\n\0"  // signature
    "\0\0\0\0"            // flags: no OIDs
    "\0\0\0\0";           // header extension length
constexpr char kTrailer[] = "\377\377";

void append_u16(std::string& out, std::uint16_t value) {
  const char bytes[2] = {static_cast<char>(value >> 8), static_cast<char>(value)};
  out.append(bytes, sizeof bytes);
}

void append_u32(std::string& out, std::uint32_t value) {
  const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                         static_cast<char>(value >> 8), static_cast<char>(value)};
  out.append(bytes, sizeof bytes);
}

/// A fixed-width field, its length word and its big-endian value of `Bytes` bytes, in one
/// append: appending the two separately made the appends the client's largest single cost in
/// a 4M-row load (perf: append_u32, 15 % of the client's CPU time).
template <std::size_t Bytes>
void append_fixed_field(std::string& out, std::uint64_t value) {
  char bytes[4 + Bytes] = {0, 0, 0, static_cast<char>(Bytes)};
  for (std::size_t i = 0; i < Bytes; ++i) {
    bytes[4 + i] = static_cast<char>(value >> (8 * (Bytes - 1 - i)));
  }
  out.append(bytes, sizeof bytes);
}

void append_length(std::string& out, std::size_t length) {
  if (length > 0x7FFFFFFF) {
    throw std::length_error("COPY field larger than 2 GiB");
  }
  append_u32(out, static_cast<std::uint32_t>(length));
}

/// A decimal seen as base-10000 groups aligned on the decimal point (PostgreSQL's numeric
/// layout): the digit string padded with zeros on the left and right to whole groups.
class NumericGroups {
 public:
  explicit NumericGroups(const Decimal& value) : digits_(value.digits) {
    if (digits_ == "0") {
      digits_ = {};
    }
    const auto size = static_cast<long>(digits_.size());
    // Digits before the point; negative when the value is below 0.1 (leading fraction zeros).
    const long integer_digits = size - value.scale;
    const long first_position = integer_digits > 0 ? integer_digits : 0;
    left_pad_ = (4 - first_position % 4) % 4 + (integer_digits < 0 ? -integer_digits : 0);
    const long right_pad = (4 - value.scale % 4) % 4;
    group_count_ = (left_pad_ + size + right_pad) / 4;
    integer_groups_ = (left_pad_ + integer_digits) / 4;
    first_ = 0;
    while (first_ < group_count_ && group(first_) == 0) {
      ++first_;
    }
    end_ = group_count_;
    while (end_ > first_ && group(end_ - 1) == 0) {
      --end_;
    }
  }

  /// Groups left once zero groups at both ends are dropped.
  long first() const { return first_; }
  long end() const { return end_; }
  /// Power of 10000 of group `first()`; 0 for zero, as the server writes it.
  long weight() const { return first_ == end_ ? 0 : integer_groups_ - 1 - first_; }

  std::uint16_t group(long index) const {
    int value = 0;
    for (long k = index * 4; k < index * 4 + 4; ++k) {
      const long digit = k - left_pad_;
      value = value * 10 + (digit < 0 || digit >= static_cast<long>(digits_.size())
                                ? 0
                                : digits_[static_cast<std::size_t>(digit)] - '0');
    }
    return static_cast<std::uint16_t>(value);
  }

 private:
  std::string_view digits_;
  long left_pad_ = 0;
  long group_count_ = 0;
  long integer_groups_ = 0;
  long first_ = 0;
  long end_ = 0;
};

}  // namespace

std::string_view CopyRowWriter::stream_header() {
  return {kHeader, sizeof kHeader - 1};
}

std::string_view CopyRowWriter::stream_trailer() {
  return {kTrailer, sizeof kTrailer - 1};
}

void CopyRowWriter::begin_row(std::int16_t field_count) {
  if (row_start_ != buffer_.size()) {
    throw std::logic_error("CopyRowWriter::begin_row called inside an unfinished row");
  }
  fields_announced_ = field_count;
  fields_written_ = 0;
  append_u16(buffer_, static_cast<std::uint16_t>(field_count));
}

void CopyRowWriter::end_row() {
  if (fields_written_ != fields_announced_) {
    const std::string message = "COPY row announced " + std::to_string(fields_announced_) +
                                " fields but " + std::to_string(fields_written_) + " were written";
    abandon_row();
    throw std::logic_error(message);
  }
  row_start_ = buffer_.size();
  fields_written_ = 0;
  fields_announced_ = 0;
  ++rows_;
}

void CopyRowWriter::abandon_row() {
  buffer_.resize(row_start_);
  fields_written_ = 0;
  fields_announced_ = 0;
}

void CopyRowWriter::put_null() {
  append_u32(buffer_, 0xFFFFFFFFU);
  ++fields_written_;
}

void CopyRowWriter::put_text(std::string_view utf8) {
  append_length(buffer_, utf8.size());
  buffer_.append(utf8);
  ++fields_written_;
}

void CopyRowWriter::put_int32(std::int32_t value) {
  append_fixed_field<4>(buffer_, static_cast<std::uint32_t>(value));
  ++fields_written_;
}

void CopyRowWriter::put_int64(std::int64_t value) {
  append_fixed_field<8>(buffer_, static_cast<std::uint64_t>(value));
  ++fields_written_;
}

void CopyRowWriter::put_bool(bool value) {
  append_u32(buffer_, 1);
  buffer_ += value ? '\1' : '\0';
  ++fields_written_;
}

void CopyRowWriter::put_numeric(const Decimal& value) {
  const NumericGroups numeric(value);
  const long count = numeric.end() - numeric.first();
  const bool negative = value.negative && count > 0;
  append_length(buffer_, 8 + 2 * static_cast<std::size_t>(count));
  append_u16(buffer_, static_cast<std::uint16_t>(count));
  append_u16(buffer_, static_cast<std::uint16_t>(numeric.weight()));
  append_u16(buffer_, negative ? kNumericNegative : 0);
  append_u16(buffer_, static_cast<std::uint16_t>(value.scale));
  for (long index = numeric.first(); index < numeric.end(); ++index) {
    append_u16(buffer_, numeric.group(index));
  }
  ++fields_written_;
}

void CopyRowWriter::put_date(std::int32_t days) {
  append_fixed_field<4>(buffer_, static_cast<std::uint32_t>(days));
  ++fields_written_;
}

void CopyRowWriter::put_timestamp(std::int64_t micros) {
  append_fixed_field<8>(buffer_, static_cast<std::uint64_t>(micros));
  ++fields_written_;
}

void CopyRowWriter::put_text_array(std::span<const std::string_view> elements) {
  // ndim, has-null flag and element type, then one (size, lower bound) pair per dimension; an
  // empty array has no dimensions at all, as PostgreSQL itself sends it.
  std::size_t length = 12;
  if (!elements.empty()) {
    length += 8;
    for (const std::string_view element : elements) {
      length += 4 + element.size();
    }
  }
  append_length(buffer_, length);
  append_u32(buffer_, elements.empty() ? 0 : 1);
  append_u32(buffer_, 0);
  append_u32(buffer_, kTextOid);
  if (!elements.empty()) {
    append_length(buffer_, elements.size());
    append_u32(buffer_, 1);
    for (const std::string_view element : elements) {
      append_length(buffer_, element.size());
      buffer_.append(element);
    }
  }
  ++fields_written_;
}

std::string_view CopyRowWriter::complete_bytes() const {
  return std::string_view(buffer_).substr(0, row_start_);
}

void CopyRowWriter::consume_complete() {
  buffer_.erase(0, row_start_);
  row_start_ = 0;
}

}  // namespace dp::table
