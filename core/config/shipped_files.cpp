#include "core/config/shipped_files.hpp"

#include <system_error>

namespace dp::config {

std::filesystem::path executable_path() {
  std::error_code error;
  std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    return {};
  }
  return path;
}

std::vector<std::filesystem::path> shipped_folder_candidates(std::string_view name) {
  const std::filesystem::path bin = executable_path().parent_path();
  if (bin.empty()) {
    return {};
  }
  const std::filesystem::path share = std::filesystem::path("share") / "dataprocessor" / name;
  return {bin / share, (bin.parent_path() / share).lexically_normal()};
}

std::filesystem::path find_shipped_folder(std::string_view name) {
  const std::vector<std::filesystem::path> candidates = shipped_folder_candidates(name);
  for (const std::filesystem::path& candidate : candidates) {
    std::error_code error;
    if (std::filesystem::is_directory(candidate, error)) {
      return candidate;
    }
  }
  return candidates.empty() ? std::filesystem::path(name) : candidates.back();
}

}  // namespace dp::config
