#include "core/csv/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace dp::csv {

namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;

inline std::uint64_t load64(const unsigned char* p) {
  std::uint64_t value = 0;
  std::memcpy(&value, p, sizeof value);
  return value;
}

inline bool is_continuation(unsigned char byte) {
  return (byte & 0xC0U) == 0x80U;
}

inline bool in_range(unsigned char byte, unsigned char low, unsigned char high) {
  return byte >= low && byte <= high;
}

/// Length of the well-formed multi-byte sequence at `p` (lead byte >= 0x80), 0 when ill-formed.
/// The ranges are those of Unicode's table 3-7, which excludes overlongs and surrogates.
std::size_t sequence_length(const unsigned char* p, const unsigned char* end) {
  const unsigned char lead = p[0];
  const auto available = static_cast<std::size_t>(end - p);
  if (in_range(lead, 0xC2, 0xDF)) {
    return available >= 2 && is_continuation(p[1]) ? 2 : 0;
  }
  if (in_range(lead, 0xE0, 0xEF)) {
    if (available < 3) {
      return 0;
    }
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return in_range(p[1], low, high) && is_continuation(p[2]) ? 3 : 0;
  }
  if (in_range(lead, 0xF0, 0xF4)) {
    if (available < 4) {
      return 0;
    }
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return in_range(p[1], low, high) && is_continuation(p[2]) && is_continuation(p[3]) ? 4 : 0;
  }
  return 0;
}

/// Records are mostly ASCII: 16 bytes are cleared with two word tests before any per-byte work.
/// For a NUL check, `(w - 0x01..01)` sets a byte's high bit when that byte is 0 (the borrow
/// starts there), so one OR catches both NUL and non-ASCII bytes; exact positions are then
/// found byte by byte.
template <bool kRejectNul>
std::size_t find_first_bad(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  const auto* p = begin;
  while (p < end) {
    while (end - p >= 16) {
      const std::uint64_t first = load64(p);
      const std::uint64_t second = load64(p + 8);
      std::uint64_t flagged = first | second;
      if constexpr (kRejectNul) {
        flagged |= (first - kLowBits) | (second - kLowBits);
      }
      if ((flagged & kHighBits) != 0) {
        break;
      }
      p += 16;
    }
    if (p == end) {
      break;
    }
    const unsigned char byte = *p;
    if (byte < 0x80) {
      if (kRejectNul && byte == 0) {
        return static_cast<std::size_t>(p - begin);
      }
      ++p;
      continue;
    }
    const std::size_t length = sequence_length(p, end);
    if (length == 0) {
      return static_cast<std::size_t>(p - begin);
    }
    p += length;
  }
  return kNoUtf8Error;
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) {
  return find_first_bad<false>(text);
}

bool is_valid_utf8(std::string_view text) {
  return find_first_bad<false>(text) == kNoUtf8Error;
}

std::size_t find_invalid_text(std::string_view text) {
  return find_first_bad<true>(text);
}

std::string escape_invalid_utf8(std::string_view text) {
  std::size_t bad = find_invalid_text(text);
  if (bad == kNoUtf8Error) {
    return std::string(text);
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string escaped;
  escaped.reserve(text.size() + 16);
  while (bad != kNoUtf8Error) {
    escaped.append(text.substr(0, bad));
    const auto byte = static_cast<unsigned char>(text[bad]);
    escaped += "\\x";
    escaped += kHex[byte >> 4U];
    escaped += kHex[byte & 0x0FU];
    text.remove_prefix(bad + 1);
    bad = find_invalid_text(text);
  }
  escaped.append(text);
  return escaped;
}

std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t cut = max_bytes;
  // Step back over continuation bytes so the sequence they belong to is dropped whole.
  for (int steps = 0;
       cut > 0 && steps < 3 && is_continuation(static_cast<unsigned char>(text[cut])); ++steps) {
    --cut;
  }
  return text.substr(0, cut);
}

}  // namespace dp::csv
