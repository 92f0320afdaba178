#pragma once
// Helpers for the generator tests: generate into a temporary folder and read every file back
// through the kind the dispatcher would choose for it.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pipelines/generators.hpp"
#include "tests/pipelines/kind_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace dp::test {

/// generate_files without a progress line.
inline std::vector<pipelines::GeneratedFile> generate(const std::string& kind_name,
                                                      std::uint64_t rows,
                                                      const std::filesystem::path& out,
                                                      std::uint64_t seed = 1,
                                                      std::uint64_t bad_rows = 0) {
  pipelines::GenerateRequest request;
  request.kind = kind_name;
  request.rows = rows;
  request.out = out;
  request.seed = seed;
  request.bad_rows = bad_rows;
  request.show_progress = false;
  return pipelines::generate_files(request);
}

/// The one kind whose name pattern claims a generated file.
inline const pipeline::Pipeline& kind_of(const std::filesystem::path& path) {
  const auto matches = all_kinds().match_name(path.filename().string());
  REQUIRE_MESSAGE(matches.size() == 1, path.filename().string());
  return *matches.front();
}

}  // namespace dp::test
