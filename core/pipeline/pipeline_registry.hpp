#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/pipeline.hpp"

namespace dp::pipeline {

/// The kinds in force, filled by the kind loader at start-up (and built anew when the kinds are
/// re-read); core asks it which kind a file is without knowing any kind itself.
class PipelineRegistry {
 public:
  /// Adds a kind; a second kind with the same name is a programming error and throws.
  void add(std::unique_ptr<Pipeline> pipeline);
  /// Kinds whose file-name patterns match `file_name` (case-insensitive; a trailing `.gz` is
  /// ignored).
  std::vector<const Pipeline*> match_name(std::string_view file_name) const;
  /// Kinds whose header signature is a prefix of `header` (case-insensitive, trimmed).
  std::vector<const Pipeline*> match_header(const std::vector<std::string>& header) const;
  /// The kind with this name, or nullptr.
  const Pipeline* find(std::string_view name) const;
  /// Every registered kind, in registration order.
  const std::vector<std::unique_ptr<Pipeline>>& all() const { return pipelines_; }

 private:
  std::vector<std::unique_ptr<Pipeline>> pipelines_;
};

/// Case-insensitive glob match supporting `*` and `?`, used for file-name patterns.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace dp::pipeline
