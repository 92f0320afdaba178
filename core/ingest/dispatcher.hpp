#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/csv/input_source.hpp"
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

/// The same, with the header read from `input` (called only when no name matches): a load
/// sniffs the descriptor it hashed and streams, never the path again.
DispatchResult dispatch(const pipeline::PipelineRegistry& registry,
                        const std::filesystem::path& path,
                        const std::function<std::unique_ptr<csv::ByteSource>()>& input);

}  // namespace dp::ingest
