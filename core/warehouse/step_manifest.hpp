#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dp::warehouse {

/// A manifest that cannot be run (syntax, unknown key, missing file, unknown dependency, cycle):
/// the run stops before it takes the lock or writes anything, with a message naming the step.
struct ManifestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One warehouse build step as the manifest declares it.
struct StepSpec {
  /// Unique name; used in logs, in etl_run_steps and in other steps' depends_on.
  std::string name;
  /// The SQL file, resolved against the manifest's folder.
  std::filesystem::path file;
  /// Steps that must have succeeded before this one starts.
  std::vector<std::string> depends_on;
  /// The file's text, read once when the manifest is loaded so a file edited during a run
  /// cannot make one run execute two versions of a step.
  std::string sql;
};

/// The warehouse build as data: steps in manifest order (a valid sequential order is not
/// required; the dependency graph decides).
struct StepManifest {
  /// Where the manifest came from, for messages.
  std::filesystem::path path;
  std::vector<StepSpec> steps;
};

/// Reads `manifest.toml` (`[[step]] name, file, depends_on`) and every step file it names.
/// Throws ManifestError for anything that would make the run fail later, including unknown
/// dependencies and cycles (checked by building the StepGraph).
StepManifest load_manifest(const std::filesystem::path& manifest_path);

/// As load_manifest, from TOML text; step files are resolved against `base_dir`. `source` names
/// the text in messages.
StepManifest parse_manifest(std::string_view toml_text, const std::filesystem::path& base_dir,
                            const std::string& source);

}  // namespace dp::warehouse
