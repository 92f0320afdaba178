#pragma once

#include <filesystem>
#include <string>

#include "core/pipeline/pipeline.hpp"
#include "core/pipeline/pipeline_registry.hpp"

namespace dp::ingest {

/// Which kind a file is, or why none can be chosen.
struct DispatchResult {
  const pipeline::Pipeline* pipeline = nullptr;
  /// Set when pipeline is null: "no kind matches ..." or "2 kinds match ...".
  std::string reason;
};

/// Picks the kind for a file: by name pattern first, then by header signature. No match or two
/// matches quarantine the file, so a file is never loaded by a guess.
DispatchResult dispatch(const pipeline::PipelineRegistry& registry,
                        const std::filesystem::path& path);

}  // namespace dp::ingest
