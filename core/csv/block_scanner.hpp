#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dp::csv {

/// Which of 16 bytes are of interest to the tokenizer; bit i stands for byte i of the block.
struct BlockMasks {
  std::uint32_t delimiter = 0;
  std::uint32_t quote = 0;
  std::uint32_t line_feed = 0;
  /// Bytes >= 0x80 or NUL: the record needs a full UTF-8 check only when one is set.
  std::uint32_t suspect = 0;
};

/// Classifies 16 bytes at a time, so the hot path handles a record in a few steps instead of
/// one per byte. SSE2 (always there on x86-64) does it in a handful of instructions; other
/// targets use the portable word-at-a-time form, which the tests compare against SSE2.
class BlockScanner {
 public:
  /// Bytes scan() reads from its argument, whatever the caller needs of them.
  static constexpr std::size_t kBlockBytes = 16;

  BlockScanner(char delimiter, char quote) noexcept
      : delimiter_(delimiter),
        quote_(quote)
#if defined(__SSE2__)
        ,
        delimiters_(_mm_set1_epi8(delimiter)),
        quotes_(_mm_set1_epi8(quote)),
        line_feeds_(_mm_set1_epi8('\n'))
#endif
  {
  }

  /// Masks of the 16 bytes at `block` (all must be readable).
  BlockMasks scan(const char* block) const noexcept {
#if defined(__SSE2__)
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
    const auto mask_of = [&bytes](__m128i wanted) {
      return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, wanted)));
    };
    BlockMasks masks;
    masks.delimiter = mask_of(delimiters_);
    masks.quote = mask_of(quotes_);
    masks.line_feed = mask_of(line_feeds_);
    masks.suspect =
        static_cast<std::uint32_t>(_mm_movemask_epi8(bytes)) | mask_of(_mm_setzero_si128());
    return masks;
#else
    return scan_portable(block);
#endif
  }

  /// The same masks computed with 64-bit words only.
  BlockMasks scan_portable(const char* block) const noexcept {
    BlockMasks masks;
    for (int half = 0; half < 2; ++half) {
      std::uint64_t word = 0;
      std::memcpy(&word, block + 8 * half, sizeof word);
      const int shift = 8 * half;
      masks.delimiter |= gather(zero_bytes(word ^ broadcast(delimiter_))) << shift;
      masks.quote |= gather(zero_bytes(word ^ broadcast(quote_))) << shift;
      masks.line_feed |= gather(zero_bytes(word ^ broadcast('\n'))) << shift;
      masks.suspect |= gather((word & kHighBits) | zero_bytes(word)) << shift;
    }
    return masks;
  }

 private:
  static constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  static constexpr std::uint64_t kLowSevenBits = 0x7F7F7F7F7F7F7F7FULL;

  static std::uint64_t broadcast(char byte) noexcept {
    return 0x0101010101010101ULL * static_cast<unsigned char>(byte);
  }
  /// High bit set in exactly the zero bytes of `word` (the add cannot carry across bytes).
  static std::uint64_t zero_bytes(std::uint64_t word) noexcept {
    return ~(((word & kLowSevenBits) + kLowSevenBits) | word | kLowSevenBits);
  }
  /// Moves the high bit of byte k to bit k: the multiply adds each flag once into the top byte.
  static std::uint32_t gather(std::uint64_t high_bits) noexcept {
    static_assert(std::endian::native == std::endian::little);
    return static_cast<std::uint32_t>(((high_bits >> 7) * 0x0102040810204080ULL) >> 56);
  }

  char delimiter_;
  char quote_;
#if defined(__SSE2__)
  __m128i delimiters_;
  __m128i quotes_;
  __m128i line_feeds_;
#endif
};

}  // namespace dp::csv
