#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "core/pipeline/pipeline_registry.hpp"
#include "pipelines/kinds/kind_declaration.hpp"

namespace dp::pipelines {

/// One kind file compiled into the binary: its path in the source tree and its text.
struct EmbeddedKindFile {
  std::string_view path;
  std::string_view text;
};

/// The built-in kinds (pipelines/<subject>/<kind>.toml), embedded at build time by
/// pipelines/embed_kinds.cmake so that no install can lose them; sorted by path.
const std::vector<EmbeddedKindFile>& builtin_kind_files();

/// Parses the built-in kind files, then every `*.toml` in `kinds_dir` (sorted by name; a missing
/// folder holds no kinds), and checks them as one set: no two kinds share a name, a staging table
/// or a file pattern. Throws KindFileError naming the file, line and key.
std::vector<std::shared_ptr<const KindDeclaration>> read_kinds(
    const std::filesystem::path& kinds_dir);

/// A registry holding `kinds`, in order.
std::shared_ptr<const pipeline::PipelineRegistry> make_registry(
    const std::vector<std::shared_ptr<const KindDeclaration>>& kinds);

/// read_kinds and make_registry: the kinds a run of the service works with.
std::shared_ptr<const pipeline::PipelineRegistry> load_kinds(
    const std::filesystem::path& kinds_dir);

/// Adds the built-in kinds to `registry` (tests and tools that take no kinds_dir).
void register_all_pipelines(pipeline::PipelineRegistry& registry);

/// The declaration behind a registered kind, or nullptr for a kind not declared in TOML.
const KindDeclaration* declaration_of(const pipeline::Pipeline& kind);

}  // namespace dp::pipelines
