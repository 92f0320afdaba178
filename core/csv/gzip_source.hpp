#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/csv/input_source.hpp"

struct z_stream_s;

namespace dp::csv {

/// Streams a gzip file through zlib's inflate in constant memory, so compressed exports are
/// loaded without unpacking them to disk first. Concatenated gzip members (what `cat a.gz b.gz`
/// or parallel compressors produce) are read as one stream; corrupt, truncated or trailing
/// non-gzip data is an InputError naming the file.
class GzipSource final : public ByteSource {
 public:
  /// Takes the opened compressed file; the header (gzip or zlib) is detected by inflate itself.
  explicit GzipSource(std::unique_ptr<FileSource> file);
  ~GzipSource() override;
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::size_t read(char* out, std::size_t max_bytes) override;
  std::uint64_t bytes_consumed() const override;
  std::uint64_t total_bytes() const override { return file_->total_bytes(); }

 private:
  /// Refills the compressed input buffer from the file; sets file_eof_ at its end.
  void fill_input();

  std::unique_ptr<FileSource> file_;
  std::unique_ptr<char[]> input_;
  std::unique_ptr<z_stream_s> stream_;
  bool file_eof_ = false;
  /// True before the first member and right after each member's end: input may end here.
  bool between_members_ = true;
  bool finished_ = false;
};

}  // namespace dp::csv
