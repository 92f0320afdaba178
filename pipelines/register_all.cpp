#include "pipelines/register_all.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "pipelines/kinds/declared_pipeline.hpp"
#include "pipelines/kinds/kind_file_parser.hpp"

namespace dp::pipelines {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

/// Two globs claim the same files when they are equal or one matches the other read as a name
/// (`user_traffic*.csv` covers `user_traffic_eu*.csv`): the dispatcher could not choose.
bool patterns_overlap(std::string_view a, std::string_view b) {
  return lower(a) == lower(b) || pipeline::glob_match(a, b) || pipeline::glob_match(b, a);
}

[[noreturn]] void clash(const KindDeclaration& kind, int line, std::string_view key,
                        const std::string& message) {
  throw KindFileError(fmt::format("{}:{}: {}: {}", kind.source, line, key, message));
}

void check_against(const KindDeclaration& kind, const KindDeclaration& earlier) {
  const std::string other = fmt::format("kind {} ({})", earlier.name, earlier.source);
  if (kind.name == earlier.name) {
    clash(kind, kind.name_line, "name",
          "kind " + kind.name + " is already declared by " + earlier.source +
              "; a kind file adds a kind, it cannot replace one: choose another name");
  }
  if (kind.model.table == earlier.model.table) {
    clash(kind, kind.table_line, "table",
          "staging table " + kind.model.table + " already belongs to " + other);
  }
  for (const std::string& pattern : kind.patterns) {
    for (const std::string& taken : earlier.patterns) {
      if (patterns_overlap(pattern, taken)) {
        clash(kind, kind.patterns_line, "patterns",
              fmt::format("\"{}\" overlaps pattern \"{}\" of {}: a file would match both kinds; "
                          "make the patterns distinct",
                          pattern, taken, other));
      }
    }
  }
}

std::vector<fs::path> kind_files_in(const fs::path& kinds_dir) {
  std::vector<fs::path> files;
  std::error_code error;
  if (kinds_dir.empty() || !fs::is_directory(kinds_dir, error)) {
    return files;
  }
  for (const auto& entry : fs::directory_iterator(kinds_dir, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(".") && name.ends_with(".toml") && entry.is_regular_file(error)) {
      files.push_back(entry.path());
    }
  }
  if (error) {
    throw KindFileError(kinds_dir.string() + ": cannot list the kinds folder: " + error.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::shared_ptr<const KindDeclaration>> read_kinds(const fs::path& kinds_dir) {
  std::vector<std::shared_ptr<const KindDeclaration>> kinds;
  const auto add = [&](KindDeclaration kind) {
    for (const auto& earlier : kinds) {
      check_against(kind, *earlier);
    }
    kinds.push_back(std::make_shared<const KindDeclaration>(std::move(kind)));
  };
  for (const EmbeddedKindFile& file : builtin_kind_files()) {
    add(parse_kind(file.text, "built-in " + std::string(file.path)));
  }
  for (const fs::path& path : kind_files_in(kinds_dir)) {
    add(parse_kind_file(path));
  }
  return kinds;
}

std::shared_ptr<const pipeline::PipelineRegistry> make_registry(
    const std::vector<std::shared_ptr<const KindDeclaration>>& kinds) {
  auto registry = std::make_shared<pipeline::PipelineRegistry>();
  for (const auto& kind : kinds) {
    registry->add(std::make_unique<DeclaredPipeline>(kind));
  }
  return registry;
}

std::shared_ptr<const pipeline::PipelineRegistry> load_kinds(const fs::path& kinds_dir) {
  return make_registry(read_kinds(kinds_dir));
}

void register_all_pipelines(pipeline::PipelineRegistry& registry) {
  for (const auto& kind : read_kinds({})) {
    registry.add(std::make_unique<DeclaredPipeline>(kind));
  }
}

const KindDeclaration* declaration_of(const pipeline::Pipeline& kind) {
  const auto* declared = dynamic_cast<const DeclaredPipeline*>(&kind);
  return declared != nullptr ? &declared->declaration() : nullptr;
}

}  // namespace dp::pipelines
