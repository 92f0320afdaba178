#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dp::csv {

/// Returned by the finders below when nothing is wrong.
inline constexpr std::size_t kNoUtf8Error = static_cast<std::size_t>(-1);

/// PostgreSQL rejects a whole COPY on one bad byte, so every record is checked before it gets
/// there; this gives the offset of the first byte of the first ill-formed sequence (overlongs,
/// surrogates, code points above U+10FFFF, truncated sequences), or kNoUtf8Error.
std::size_t find_invalid_utf8(std::string_view text);

/// Convenience form of find_invalid_utf8 for callers that only need a yes/no (value parsers).
bool is_valid_utf8(std::string_view text);

/// Like find_invalid_utf8 but also stops at a NUL byte: valid UTF-8, yet PostgreSQL text cannot
/// hold it, so for loading it is as bad as an ill-formed sequence.
std::size_t find_invalid_text(std::string_view text);

/// Makes bytes safe to store as PostgreSQL text (reject reports keep the original line): each
/// byte of an ill-formed sequence and each NUL becomes `\xNN`; valid text is returned unchanged.
std::string escape_invalid_utf8(std::string_view text);

/// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence, so a truncated raw
/// line stays as valid as the original.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace dp::csv
