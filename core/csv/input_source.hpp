#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace dp::csv {

/// A file that cannot be opened, read or decompressed: it fails that file's unit of work, so it is
/// an exception (unlike a bad row), and its message names the file.
class InputError : public std::runtime_error {
 public:
  /// Builds "PATH: WHAT" so that every caller reports the file the same way.
  InputError(const std::string& path, const std::string& what);
  /// The file the error is about, for ledgers and quarantine notes that store it apart.
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// The bytes the CSV reader consumes, whatever their origin (plain file, gzip file, memory), so
/// that the reader never knows about files or compression.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `max_bytes` into `out`; returns 0 only at the end of the input. Throws
  /// InputError when the underlying file cannot be read or decoded.
  virtual std::size_t read(char* out, std::size_t max_bytes) = 0;
  /// Bytes of the underlying file consumed so far (compressed bytes for gzip), for progress %.
  virtual std::uint64_t bytes_consumed() const = 0;
  /// Size of the underlying file (compressed size for gzip), the denominator of progress %.
  virtual std::uint64_t total_bytes() const = 0;
};

/// Plain POSIX reads of a whole file: no stdio buffering layered under our own chunk buffer.
class FileSource final : public ByteSource {
 public:
  /// Opens `path` for reading; throws InputError naming the path and strerror on failure.
  explicit FileSource(std::string path);
  /// Takes ownership of `fd`, an open regular file (a dup of a load's one descriptor), and
  /// reads it with pread from offset 0, so several sources over one open file never disturb
  /// each other; `path` only names it in errors.
  FileSource(int fd, std::string path);
  /// The same over bytes [begin, end) of the file only: one part of a file that several
  /// loaders read side by side (parallel COPY); offsets and sizes are the part's.
  FileSource(int fd, std::string path, std::uint64_t begin, std::uint64_t end);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::size_t read(char* out, std::size_t max_bytes) override;
  std::uint64_t bytes_consumed() const override { return consumed_; }
  std::uint64_t total_bytes() const override { return size_; }

  /// True when the file begins with the gzip magic bytes 1f 8b; reads with pread, so the read
  /// position is unchanged and open_input needs to open the file only once.
  bool starts_with_gzip_magic() const;
  /// The path given at construction, for error messages of wrapping sources.
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint64_t consumed_ = 0;
  /// File offset of the first byte this source reads (a part's start; 0 for a whole file).
  std::uint64_t begin_ = 0;
  /// Reads stop at size_ (a part), instead of at the file's current end.
  bool bounded_ = false;
  /// Reads with pread at consumed_ instead of read (descriptors shared with others).
  bool positional_ = false;
};

/// Bytes already in memory (a header probe, a test, a payload received elsewhere) read through
/// the same interface as files.
class MemorySource final : public ByteSource {
 public:
  /// Takes ownership of `bytes`.
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  std::size_t read(char* out, std::size_t max_bytes) override;
  std::uint64_t bytes_consumed() const override { return position_; }
  std::uint64_t total_bytes() const override { return bytes_.size(); }

 private:
  std::string bytes_;
  std::size_t position_ = 0;
};

/// Opens `path` as a plain or gzip source by its first bytes (never by its name), so that
/// `traffic.csv.gz`, or a gzip file without the suffix, load the same way.
std::unique_ptr<ByteSource> open_input(const std::string& path);

/// The same for a file already open (see FileSource(int, std::string)).
std::unique_ptr<ByteSource> open_input(std::unique_ptr<FileSource> file);

}  // namespace dp::csv
