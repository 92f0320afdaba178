#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>

namespace dp::watch {

/// SHA-256 of a file's bytes exactly as dropped, as lowercase hex: the ledger identifies content
/// by it, so the same bytes under a new name are recognised. Streams 1 MiB at a time (constant
/// memory); throws std::system_error when the file cannot be opened or read.
std::string fingerprint_file(const std::filesystem::path& file);

/// The same hash of the file open at `fd`, read with pread from offset 0 (the descriptor's own
/// position is left alone), so a load hashes exactly the bytes it then reads. Checks `cancel`
/// between reads and returns nullopt when it is set; throws std::system_error on a read error.
std::optional<std::string> fingerprint_descriptor(int fd, const std::atomic<bool>* cancel);

}  // namespace dp::watch
