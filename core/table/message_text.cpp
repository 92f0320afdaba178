#include "core/table/message_text.hpp"

#include "core/csv/utf8.hpp"

namespace dp::table {
namespace {

/// Values longer than this are cut in messages; the full value stays in the reject's raw line.
constexpr std::size_t kMaxQuotedBytes = 80;

}  // namespace

std::string quote_for_message(std::string_view value) {
  const std::string_view shown = csv::truncate_utf8(value, kMaxQuotedBytes);
  // Ill-formed bytes and NUL become \xNN first; then the remaining control characters, so a
  // value with a line break still gives a one-line message.
  const std::string valid = csv::escape_invalid_utf8(shown);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string quoted;
  quoted.reserve(valid.size() + 5);
  quoted += '"';
  for (const char c : valid) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      quoted += "\\x";
      quoted += kHex[byte >> 4];
      quoted += kHex[byte & 0x0F];
    } else {
      quoted += c;
    }
  }
  quoted += '"';
  if (shown.size() < value.size()) {
    quoted += "...";
  }
  return quoted;
}

}  // namespace dp::table
