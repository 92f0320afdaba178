#include "core/warehouse/step_manifest.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/warehouse/step_graph.hpp"

namespace dp::warehouse {
namespace fs = std::filesystem;

namespace {

bool valid_step_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string where(const std::string& source, const toml::node& node) {
  return fmt::format("{} line {}", source, node.source().begin.line);
}

std::string read_step_file(const fs::path& path, const std::string& step_name) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    throw ManifestError(fmt::format("step {}: file {} does not exist", step_name, path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    throw ManifestError(fmt::format("step {}: cannot read {}", step_name, path.string()));
  }
  return text.str();
}

std::vector<std::string> read_dependencies(const toml::node& node, const std::string& step_name,
                                           const std::string& source) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    throw ManifestError(fmt::format("{}: step {}: depends_on must be an array of step names",
                                    where(source, node), step_name));
  }
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  for (const auto& item : *array) {
    const auto* name = item.as_string();
    if (name == nullptr) {
      throw ManifestError(fmt::format("{}: step {}: depends_on must hold step names (strings)",
                                      where(source, item), step_name));
    }
    if (!seen.insert(name->get()).second) {
      throw ManifestError(fmt::format("{}: step {} lists dependency {} twice", where(source, item),
                                      step_name, name->get()));
    }
    out.push_back(name->get());
  }
  return out;
}

StepSpec read_step(const toml::table& table, const fs::path& base_dir, const std::string& source) {
  StepSpec step;
  const auto* name = table.get_as<std::string>("name");
  if (name == nullptr || !valid_step_name(name->get())) {
    throw ManifestError(fmt::format(
        "{}: every [[step]] needs name = \"...\" made of letters, digits, '_', '-' or '.'",
        where(source, table)));
  }
  step.name = name->get();
  for (auto&& [key, node] : table) {
    if (key.str() != "name" && key.str() != "file" && key.str() != "depends_on") {
      throw ManifestError(
          fmt::format("{}: step {} has unknown key \"{}\" (expected name, file, "
                      "depends_on)",
                      where(source, node), step.name, key.str()));
    }
  }
  const auto* file = table.get_as<std::string>("file");
  if (file == nullptr || file->get().empty()) {
    throw ManifestError(fmt::format("{}: step {} needs file = \"<subject>/<name>.sql\"",
                                    where(source, table), step.name));
  }
  const fs::path relative(file->get());
  if (relative.is_absolute()) {
    throw ManifestError(fmt::format("{}: step {}: file must be relative to the manifest's folder",
                                    where(source, *file), step.name));
  }
  step.file = base_dir / relative;
  if (const auto* depends = table.get("depends_on"); depends != nullptr) {
    step.depends_on = read_dependencies(*depends, step.name, source);
  }
  step.sql = read_step_file(step.file, step.name);
  return step;
}

}  // namespace

StepManifest parse_manifest(std::string_view toml_text, const fs::path& base_dir,
                            const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& error) {
    throw ManifestError(fmt::format("cannot parse {}: {} at line {}, column {}", source,
                                    error.description(), error.source().begin.line,
                                    error.source().begin.column));
  }
  for (auto&& [key, node] : root) {
    if (key.str() != "step") {
      throw ManifestError(fmt::format("{}: unknown key \"{}\" (a manifest holds [[step]] tables)",
                                      where(source, node), key.str()));
    }
  }
  StepManifest manifest;
  manifest.path = source;
  const auto* steps = root.get_as<toml::array>("step");
  if (steps == nullptr || steps->empty()) {
    throw ManifestError(fmt::format("{} declares no [[step]]", source));
  }
  std::set<std::string, std::less<>> names;
  for (const auto& node : *steps) {
    const auto* table = node.as_table();
    if (table == nullptr) {
      throw ManifestError(fmt::format("{}: step must be a table ([[step]])", where(source, node)));
    }
    auto step = read_step(*table, base_dir, source);
    if (!names.insert(step.name).second) {
      throw ManifestError(
          fmt::format("{}: step name {} is used twice", where(source, node), step.name));
    }
    manifest.steps.push_back(std::move(step));
  }
  // Unknown dependencies and cycles are manifest errors too: find them now, not mid-run.
  StepGraph graph(manifest.steps);
  return manifest;
}

StepManifest load_manifest(const fs::path& manifest_path) {
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) {
    throw ManifestError(
        fmt::format("warehouse manifest {} not found (setting sql_dir)", manifest_path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_manifest(text.str(), manifest_path.parent_path(), manifest_path.string());
}

}  // namespace dp::warehouse
