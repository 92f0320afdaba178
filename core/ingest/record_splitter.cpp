#include "core/ingest/record_splitter.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/csv/block_scanner.hpp"

namespace dp::ingest {
namespace {

constexpr std::size_t kChunkBytes = 1024 * 1024;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::size_t read_at(int fd, char* out, std::size_t max_bytes, std::uint64_t offset) {
  for (;;) {
    const ssize_t got = ::pread(fd, out, max_bytes, static_cast<off_t>(offset));
    if (got >= 0) {
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "cannot read the file to split it");
    }
  }
}

bool starts_with_bom(int fd, std::uint64_t offset) {
  char bytes[3] = {};
  return read_at(fd, bytes, sizeof bytes, offset) == sizeof bytes &&
         std::string_view(bytes, sizeof bytes) == kUtf8Bom;
}

}  // namespace

std::uint64_t count_line_feeds(std::string_view bytes) noexcept {
  // The block scanner classifies 16 bytes in a few instructions; a popcount of its line-feed
  // mask counts them. The tail (under 16 bytes) is counted byte by byte.
  const csv::BlockScanner scanner(',', '"');
  std::uint64_t count = 0;
  std::size_t i = 0;
  for (; i + csv::BlockScanner::kBlockBytes <= bytes.size(); i += csv::BlockScanner::kBlockBytes) {
    count += static_cast<std::uint64_t>(std::popcount(scanner.scan(bytes.data() + i).line_feed));
  }
  for (; i < bytes.size(); ++i) {
    count += bytes[i] == '\n' ? 1 : 0;
  }
  return count;
}

std::vector<FilePart> split_at_line_feeds(int fd, std::uint64_t size, std::size_t parts) {
  std::vector<FilePart> result;
  FilePart current;
  parts = std::max<std::size_t>(parts, 1);
  std::string chunk(kChunkBytes, '\0');
  std::uint64_t line_feeds = 0;
  std::uint64_t position = 0;
  std::size_t next = 1;
  while (next < parts && position < size) {
    const std::size_t got = read_at(fd, chunk.data(), chunk.size(), position);
    if (got == 0) {
      break;
    }
    std::string_view bytes(chunk.data(), got);
    while (!bytes.empty() && next < parts) {
      const std::uint64_t target = size / parts * next;
      if (position < target) {
        // Far from the next cut: count whole stretches.
        const auto stretch =
            static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), target - position));
        line_feeds += count_line_feeds(bytes.substr(0, stretch));
        bytes.remove_prefix(stretch);
        position += stretch;
        continue;
      }
      const void* found = std::memchr(bytes.data(), '\n', bytes.size());
      if (found == nullptr) {
        position += bytes.size();
        bytes = {};
        break;
      }
      const auto skipped =
          static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data()) + 1;
      bytes.remove_prefix(skipped);
      position += skipped;
      ++line_feeds;
      if (position >= size) {
        break;
      }
      if (starts_with_bom(fd, position)) {
        continue;
      }
      current.end = position;
      result.push_back(current);
      current = FilePart{position, 0, line_feeds + 1};
      ++next;
    }
  }
  current.end = size;
  result.push_back(current);
  return result;
}

}  // namespace dp::ingest
