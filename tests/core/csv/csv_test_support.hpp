#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"

namespace dp::csv::test {

/// Path of a fixture in tests/data/csv.
inline std::string fixture_for_test(const std::string& name) {
  return std::string(DP_TEST_DATA_DIR) + "/csv/" + name;
}

/// Whole file as bytes.
inline std::string slurp_for_test(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + path.string());
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Writes bytes to a file, replacing it.
inline void write_file_for_test(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

/// One gzip member holding `bytes` (zlib's own gzip writer, no external command).
inline std::string gzip_for_test(const std::string& bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, bytes.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int code = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (code != Z_STREAM_END) {
    throw std::runtime_error("deflate failed");
  }
  out.resize(stream.total_out);
  return out;
}

/// Hands out at most `max_per_read` bytes per call, so that records are cut at every place.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::unique_ptr<ByteSource> inner, std::size_t max_per_read)
      : inner_(std::move(inner)), max_per_read_(max_per_read) {}
  std::size_t read(char* out, std::size_t max_bytes) override {
    return inner_->read(out, std::min(max_bytes, max_per_read_));
  }
  std::uint64_t bytes_consumed() const override { return inner_->bytes_consumed(); }
  std::uint64_t total_bytes() const override { return inner_->total_bytes(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::size_t max_per_read_;
};

/// What one call of CsvReader::next returned, copied so it outlives the reader.
struct ReadItem {
  ReadStatus status = ReadStatus::kEnd;
  std::vector<std::string> fields;
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
  std::string raw;
  RowError error;

  bool operator==(const ReadItem& other) const {
    return status == other.status && fields == other.fields && line == other.line &&
           byte_offset == other.byte_offset && raw == other.raw && error.kind == other.error.kind &&
           error.message == other.error.message && error.raw_line == other.error.raw_line;
  }
};

/// Readable form of a ReadItem for failure messages.
inline std::string describe_for_test(const ReadItem& item) {
  std::ostringstream out;
  if (item.status == ReadStatus::kRow) {
    out << "row line=" << item.line << " offset=" << item.byte_offset << " fields=[";
    for (const auto& field : item.fields) {
      out << '<' << field << '>';
    }
    out << "]";
  } else if (item.status == ReadStatus::kError) {
    out << "error " << to_string(item.error.kind) << " line=" << item.error.line
        << " offset=" << item.error.byte_offset << " msg=" << item.error.message;
  } else {
    out << "end";
  }
  return out.str();
}

/// Reads a whole input and returns every row and error in order (the final kEnd not included).
inline std::vector<ReadItem> read_all_for_test(std::unique_ptr<ByteSource> source,
                                               const CsvReaderOptions& options = {}) {
  CsvReader reader(std::move(source), options);
  std::vector<ReadItem> items;
  CsvRow row;
  RowError error;
  for (;;) {
    const ReadStatus status = reader.next(row, error);
    if (status == ReadStatus::kEnd) {
      break;
    }
    ReadItem item;
    item.status = status;
    if (status == ReadStatus::kRow) {
      item.fields.assign(row.fields.begin(), row.fields.end());
      item.line = row.line;
      item.byte_offset = row.byte_offset;
      item.raw = std::string(row.raw);
    } else {
      item.error = error;
      item.line = error.line;
      item.byte_offset = error.byte_offset;
    }
    items.push_back(std::move(item));
  }
  return items;
}

/// Reads bytes from memory.
inline std::vector<ReadItem> read_string_for_test(const std::string& bytes,
                                                  const CsvReaderOptions& options = {}) {
  return read_all_for_test(std::make_unique<MemorySource>(bytes), options);
}

/// Reads a fixture file of tests/data/csv.
inline std::vector<ReadItem> read_fixture_for_test(const std::string& name,
                                                   const CsvReaderOptions& options = {}) {
  return read_all_for_test(open_input(fixture_for_test(name)), options);
}

}  // namespace dp::csv::test
