#pragma once

#include <string>
#include <string_view>

namespace dp::table {

/// Quotes a CSV value for an error message: messages end up in a UTF-8 text column and in logs,
/// so invalid bytes and control characters are escaped and long values are cut short.
std::string quote_for_message(std::string_view value);

}  // namespace dp::table
