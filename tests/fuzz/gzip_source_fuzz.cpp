// Fuzz target over the gzip source and open_input: any bytes as a file (plain or gzip by its
// magic bytes) read to the end in uneven reads, compared with zlib's one-shot inflate of the same
// bytes; and the payload compressed as one or two gzip members must decode to itself exactly.
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/csv/gzip_source.hpp"
#include "core/csv/input_source.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace dp::fuzz {
namespace {

/// A process-wide scratch folder (under TMPDIR) for the files the sources open by path.
const std::string& scratch_folder() {
  static const std::string folder = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr ? tmp : "/tmp") + "/dp-fuzz-XXXXXX";
    require(mkdtemp(pattern.data()) != nullptr, "mkdtemp failed");
    return pattern;
  }();
  return folder;
}

/// A real file holding `bytes` (the sources open paths, as the loader does), removed when done.
class ScratchFile {
 public:
  ScratchFile(std::string_view name, std::string_view bytes)
      : path_(scratch_folder() + "/" + std::string(name)) {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    require(fd >= 0, "cannot create a scratch file");
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t got = ::write(fd, bytes.data() + written, bytes.size() - written);
      require(got > 0, "write to a scratch file failed");
      written += static_cast<std::size_t>(got);
    }
    ::close(fd);
  }
  ~ScratchFile() { ::unlink(path_.c_str()); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Reads a source to its end with reads of uneven sizes; nullopt when it throws InputError.
std::optional<std::string> drain(csv::ByteSource& source) {
  static constexpr std::size_t kSizes[] = {1, 4096, 3, 65536, 17};
  std::string out;
  std::string buffer(65536, '\0');
  std::uint64_t last_consumed = 0;
  try {
    for (std::size_t i = 0;; ++i) {
      const std::size_t want = kSizes[i % std::size(kSizes)];
      const std::size_t got = source.read(buffer.data(), want);
      require(got <= want, "a source returned more bytes than asked for");
      require(source.bytes_consumed() >= last_consumed, "bytes_consumed went backwards");
      require(source.bytes_consumed() <= source.total_bytes(), "consumed more than the file");
      last_consumed = source.bytes_consumed();
      if (got == 0) {
        require(source.read(buffer.data(), want) == 0, "a source yields bytes after its end");
        return out;
      }
      out.append(buffer.data(), got);
    }
  } catch (const csv::InputError& error) {
    require(std::string_view(error.what()).find(error.path()) == 0, "InputError lacks the path");
    return std::nullopt;
  }
}

/// zlib's own reading of the same bytes in one pass: gzip or zlib members back to back, nothing
/// after the last one; nullopt when the bytes are not that.
std::optional<std::string> reference_inflate(std::string_view compressed) {
  std::string out;
  z_stream stream{};
  require(inflateInit2(&stream, 15 + 32) == Z_OK, "inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string buffer(1 << 16, '\0');
  bool ok = true;
  bool between_members = true;
  while (ok && stream.avail_in > 0) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    const int code = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - stream.avail_out);
    between_members = false;
    if (code == Z_STREAM_END) {
      ok = inflateReset(&stream) == Z_OK;
      between_members = true;
    } else if (code != Z_OK) {
      ok = false;
    }
  }
  inflateEnd(&stream);
  if (!ok || !between_members) {
    return std::nullopt;
  }
  return out;
}

std::string gzip_member(std::string_view bytes, int level) {
  z_stream stream{};
  require(deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK,
          "deflateInit2 failed");
  std::string out(deflateBound(&stream, bytes.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  require(deflate(&stream, Z_FINISH) == Z_STREAM_END, "deflate did not finish");
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

bool has_gzip_magic(std::string_view bytes) {
  return bytes.size() >= 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b';
}

}  // namespace
}  // namespace dp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dp;
  fuzz::InputBytes input(data, size);
  const std::uint8_t config = input.take_byte();
  const std::string_view payload = input.rest();

  // The payload as a file: plain bytes come back unchanged; gzip bytes as zlib reads them.
  {
    const fuzz::ScratchFile file("input", payload);
    std::unique_ptr<csv::ByteSource> source;
    try {
      source = csv::open_input(file.path());
    } catch (const csv::InputError&) {
      fuzz::require(false, "open_input failed on a readable file");
    }
    const std::optional<std::string> read = fuzz::drain(*source);
    if (!fuzz::has_gzip_magic(payload)) {
      fuzz::require(read && *read == payload, "a plain file does not read back as itself");
    } else {
      const std::optional<std::string> reference = fuzz::reference_inflate(payload);
      fuzz::require(read.has_value() == reference.has_value(),
                    "gzip source and zlib disagree on whether the data is valid");
      fuzz::require(!read || *read == *reference, "gzip source and zlib decode differently");
    }
  }

  // The payload compressed (one member, or two when asked): decodes to exactly the payload.
  {
    const int level = config % 10;
    std::string compressed;
    if ((config & 0x80) != 0 && !payload.empty()) {
      const std::size_t cut = (config * 7919U) % payload.size();
      compressed = fuzz::gzip_member(payload.substr(0, cut), level) +
                   fuzz::gzip_member(payload.substr(cut), level);
    } else {
      compressed = fuzz::gzip_member(payload, level);
    }
    const fuzz::ScratchFile file("compressed", compressed);
    csv::GzipSource source(std::make_unique<csv::FileSource>(file.path()));
    const std::optional<std::string> read = fuzz::drain(source);
    fuzz::require(read && *read == payload, "compressed payload does not decode to itself");
    if ((config & 0x40) != 0 && (config & 0x80) == 0) {
      // Cut short, the same data must fail rather than look complete.
      const fuzz::ScratchFile truncated(
          "truncated", std::string_view(compressed).substr(0, compressed.size() / 2));
      csv::GzipSource cut(std::make_unique<csv::FileSource>(truncated.path()));
      const std::optional<std::string> partial = fuzz::drain(cut);
      fuzz::require(!partial.has_value(), "a truncated gzip file reads as complete");
    }
  }
  return 0;
}
