#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace dp::config {

/// The running binary's own path (/proc/self/exe, symlinks resolved), so that what it ships with
/// is found from any working folder.
std::filesystem::path executable_path();

/// Where a folder the binary ships with (`sql`) may be, in the order they are tried:
/// `<bin>/share/dataprocessor/NAME` (the build tree, where CMake links the source's folder) and
/// `<bin>/../share/dataprocessor/NAME` (an installed prefix: `make install`, the Docker image).
std::vector<std::filesystem::path> shipped_folder_candidates(std::string_view name);

/// The first candidate that is a folder; when none is, the installed-prefix one, so that the
/// error of whoever reads it names the place a user would look.
std::filesystem::path find_shipped_folder(std::string_view name);

}  // namespace dp::config
