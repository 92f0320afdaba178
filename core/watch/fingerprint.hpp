#pragma once

#include <filesystem>
#include <string>

namespace dp::watch {

/// SHA-256 of a file's bytes exactly as dropped, as lowercase hex: the ledger identifies content
/// by it, so the same bytes under a new name are recognised. Streams 1 MiB at a time (constant
/// memory); throws std::system_error when the file cannot be opened or read.
std::string fingerprint_file(const std::filesystem::path& file);

}  // namespace dp::watch
