#include "core/csv/gzip_source.hpp"

#include <zlib.h>

#include <algorithm>
#include <string>
#include <utility>

namespace dp::csv {

namespace {

/// Compressed bytes read per file read: the same large sequential reads as FileSource.
constexpr std::size_t kInputBytes = 256 * 1024;
/// 15-bit window plus 32: inflate detects a gzip or zlib header by itself.
constexpr int kAutoDetectWindowBits = 15 + 32;

std::string zlib_problem(const z_stream& stream, int code) {
  if (stream.msg != nullptr) {
    return stream.msg;
  }
  return "zlib error " + std::to_string(code);
}

}  // namespace

GzipSource::GzipSource(std::unique_ptr<FileSource> file)
    : file_(std::move(file)),
      input_(std::make_unique<char[]>(kInputBytes)),
      stream_(std::make_unique<z_stream>()) {
  if (inflateInit2(stream_.get(), kAutoDetectWindowBits) != Z_OK) {
    throw InputError(file_->path(),
                     "cannot start gzip decompression: " + zlib_problem(*stream_, Z_MEM_ERROR));
  }
}

GzipSource::~GzipSource() {
  inflateEnd(stream_.get());
}

void GzipSource::fill_input() {
  const std::size_t got = file_->read(input_.get(), kInputBytes);
  if (got == 0) {
    file_eof_ = true;
    return;
  }
  stream_->next_in = reinterpret_cast<Bytef*>(input_.get());
  stream_->avail_in = static_cast<uInt>(got);
}

std::size_t GzipSource::read(char* out, std::size_t max_bytes) {
  if (finished_ || max_bytes == 0) {
    return 0;
  }
  z_stream& stream = *stream_;
  // avail_out is 32-bit; a caller asking for more simply gets at most 1 GiB per call.
  const auto wanted = static_cast<uInt>(std::min<std::size_t>(max_bytes, 1U << 30));
  stream.next_out = reinterpret_cast<Bytef*>(out);
  stream.avail_out = wanted;
  while (stream.avail_out > 0) {
    if (stream.avail_in == 0) {
      if (!file_eof_) {
        fill_input();
      }
      if (stream.avail_in == 0) {
        if (between_members_) {
          finished_ = true;
          break;
        }
        throw InputError(file_->path(),
                         "truncated gzip data: the file ends inside a compressed stream");
      }
    }
    between_members_ = false;
    const int code = inflate(&stream, Z_NO_FLUSH);
    if (code == Z_STREAM_END) {
      // Another member may follow (concatenated gzip); anything else there is an error.
      if (inflateReset(&stream) != Z_OK) {
        throw InputError(file_->path(), "corrupt gzip data: " + zlib_problem(stream, code));
      }
      between_members_ = true;
      continue;
    }
    if (code == Z_OK) {
      continue;
    }
    if (code == Z_BUF_ERROR && stream.avail_in == 0) {
      continue;  // inflate wants more input: the loop refills it
    }
    throw InputError(file_->path(), "corrupt gzip data: " + zlib_problem(stream, code));
  }
  return wanted - stream.avail_out;
}

std::uint64_t GzipSource::bytes_consumed() const {
  return file_->bytes_consumed() - stream_->avail_in;
}

}  // namespace dp::csv
