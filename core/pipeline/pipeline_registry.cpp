#include "core/pipeline/pipeline_registry.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace dp::pipeline {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view without_gz(std::string_view name) {
  if (name.size() > 3 && equals_ignoring_case(name.substr(name.size() - 3), ".gz")) {
    name.remove_suffix(3);
  }
  return name;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

void PipelineRegistry::add(std::unique_ptr<Pipeline> pipeline) {
  if (find(pipeline->name()) != nullptr) {
    throw std::logic_error("pipeline registered twice: " + std::string(pipeline->name()));
  }
  pipelines_.push_back(std::move(pipeline));
}

std::vector<const Pipeline*> PipelineRegistry::match_name(std::string_view file_name) const {
  const std::string_view name = without_gz(file_name);
  std::vector<const Pipeline*> matches;
  for (const auto& pipeline : pipelines_) {
    const auto patterns = pipeline->file_patterns();
    if (std::any_of(patterns.begin(), patterns.end(),
                    [&](const std::string& pattern) { return glob_match(pattern, name); })) {
      matches.push_back(pipeline.get());
    }
  }
  return matches;
}

std::vector<const Pipeline*> PipelineRegistry::match_header(
    const std::vector<std::string>& header) const {
  std::vector<const Pipeline*> matches;
  for (const auto& pipeline : pipelines_) {
    const auto signature = pipeline->header_signature();
    if (signature.empty() || signature.size() > header.size()) {
      continue;
    }
    bool all_equal = true;
    for (std::size_t i = 0; i < signature.size() && all_equal; ++i) {
      all_equal = equals_ignoring_case(trim(signature[i]), trim(header[i]));
    }
    if (all_equal) {
      matches.push_back(pipeline.get());
    }
  }
  return matches;
}

const Pipeline* PipelineRegistry::find(std::string_view name) const {
  for (const auto& pipeline : pipelines_) {
    if (pipeline->name() == name) {
      return pipeline.get();
    }
  }
  return nullptr;
}

}  // namespace dp::pipeline
