#include "core/ingest/reject_spool.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

#include "core/csv/utf8.hpp"
#include "core/ingest/load_types.hpp"

namespace dp::ingest {
namespace {

constexpr std::size_t kSpillBytes = 256 * 1024;
constexpr std::size_t kMaxRawLine = 4096;
constexpr std::size_t kMaxValue = 1024;
constexpr std::size_t kMaxMessage = 2048;

// One spooled reject: the fields below in this order, each as <u32 length><bytes>.
void append_field(std::string& out, std::string_view bytes) {
  const auto length = static_cast<std::uint32_t>(bytes.size());
  out.append(reinterpret_cast<const char*>(&length), sizeof length);
  out.append(bytes);
}

bool read_field(std::FILE* file, std::string& out) {
  std::uint32_t length = 0;
  if (std::fread(&length, sizeof length, 1, file) != 1) {
    return false;
  }
  out.resize(length);
  return length == 0 || std::fread(out.data(), 1, length, file) == length;
}

std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if ((lead & 0xE0) == 0xC0)
    return 2;
  if ((lead & 0xF0) == 0xE0)
    return 3;
  if ((lead & 0xF8) == 0xF0)
    return 4;
  return 0;
}

}  // namespace

std::string printable_text(std::string_view bytes, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(bytes.size(), max_bytes));
  std::size_t i = 0;
  while (i < bytes.size() && out.size() < max_bytes) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const std::size_t length = utf8_sequence_length(lead);
    if (lead != 0 && length > 0 && i + length <= bytes.size() &&
        csv::is_valid_utf8(bytes.substr(i, length))) {
      if (out.size() + length > max_bytes) {
        break;
      }
      out.append(bytes.substr(i, length));
      i += length;
      continue;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out += kHex[lead >> 4];
    out += kHex[lead & 0x0f];
    ++i;
  }
  return out;
}

RejectSpool::RejectSpool() = default;

RejectSpool::~RejectSpool() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
}

void RejectSpool::add(const csv::RowError& error) {
  ++count_;
  if (first_.size() < kKeptRejects) {
    first_.push_back(error);
  }
  const std::uint64_t numbers[2] = {error.line, error.byte_offset};
  buffer_.append(reinterpret_cast<const char*>(numbers), sizeof numbers);
  append_field(buffer_, printable_text(error.column, kMaxValue));
  append_field(buffer_, printable_text(error.value, kMaxValue));
  append_field(buffer_, csv::to_string(error.kind));
  append_field(buffer_, printable_text(error.message, kMaxMessage));
  append_field(buffer_, printable_text(error.raw_line, kMaxRawLine));
  if (buffer_.size() >= kSpillBytes) {
    spill();
  }
}

void RejectSpool::append(RejectSpool& later) {
  count_ += later.count_;
  for (const auto& error : later.first_) {
    if (first_.size() >= kKeptRejects) {
      break;
    }
    first_.push_back(error);
  }
  if (later.file_ != nullptr) {
    std::rewind(later.file_);
    std::string chunk(kSpillBytes, '\0');
    for (;;) {
      const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), later.file_);
      if (got == 0) {
        break;
      }
      buffer_.append(chunk.data(), got);
      spill();
    }
  }
  buffer_.append(later.buffer_);
  if (buffer_.size() >= kSpillBytes) {
    spill();
  }
  later.buffer_.clear();
  later.first_.clear();
  later.count_ = 0;
}

void RejectSpool::spill() {
  if (buffer_.empty()) {
    return;
  }
  if (file_ == nullptr) {
    file_ = std::tmpfile();
    if (file_ == nullptr) {
      throw std::runtime_error(std::string("cannot create a temporary file for rejects: ") +
                               std::strerror(errno));
    }
  }
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    throw std::runtime_error("cannot write rejects to a temporary file");
  }
  buffer_.clear();
}

void RejectSpool::copy_into_ledger(db::LibpqConnection& connection, std::int64_t file_id,
                                   std::uint64_t max_rows) {
  if (count_ == 0) {
    return;
  }
  spill();
  std::rewind(file_);
  db::CopySink sink(connection);
  sink.begin(
      "COPY ingest.rejects (file_id, line, byte_offset, column_name, value, reason, message, "
      "raw_line) FROM STDIN (FORMAT binary)");
  table::CopyRowWriter writer;
  std::string column, value, reason, message, raw;
  std::uint64_t numbers[2];
  for (std::uint64_t row = 0; row < max_rows; ++row) {
    if (std::fread(numbers, sizeof numbers, 1, file_) != 1) {
      break;
    }
    if (!read_field(file_, column) || !read_field(file_, value) || !read_field(file_, reason) ||
        !read_field(file_, message) || !read_field(file_, raw)) {
      throw std::runtime_error("the rejects spool file is truncated");
    }
    writer.begin_row(8);
    writer.put_int64(file_id);
    writer.put_int64(static_cast<std::int64_t>(numbers[0]));
    writer.put_int64(static_cast<std::int64_t>(numbers[1]));
    column.empty() ? writer.put_null() : writer.put_text(column);
    value.empty() ? writer.put_null() : writer.put_text(value);
    writer.put_text(reason);
    writer.put_text(message);
    writer.put_text(raw);
    writer.end_row();
    if (writer.complete_bytes().size() >= db::CopySink::kMaxMessageBytes) {
      sink.write(writer.complete_bytes());
      writer.consume_complete();
    }
  }
  sink.write(writer.complete_bytes());
  writer.consume_complete();
  sink.finish();
}

}  // namespace dp::ingest
