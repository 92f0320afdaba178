#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace dp::ingest {

/// One part of a file for a parallel COPY: bytes [begin, end), whose first byte starts line
/// `first_line` of the file (lines are 1-based and count the header, as in rejects).
struct FilePart {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint64_t first_line = 1;
};

/// Cuts a file of `size` bytes, read with pread from `fd`, into at most `parts` parts of about
/// equal size, each cut made right after a line feed, and counts the line feeds before each
/// cut so that every part reports the whole file's line numbers. No part starts with the bytes
/// of a UTF-8 BOM (only the file's first byte may begin one). A cut is a record boundary only
/// if no quoted field spans it: the parallel loader proves that by reading the part before it
/// to its end without an open quote, and falls back to one stream otherwise. Fewer parts come
/// back when the file has fewer line feeds; one part means "do not split". Throws
/// std::system_error when the file cannot be read.
std::vector<FilePart> split_at_line_feeds(int fd, std::uint64_t size, std::size_t parts);

/// Line feeds in `bytes`, counted 16 bytes at a time (the splitter's hot loop).
std::uint64_t count_line_feeds(std::string_view bytes) noexcept;

}  // namespace dp::ingest
