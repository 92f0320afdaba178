#include <iostream>

#include <fmt/format.h>

#include "cmd/modes.hpp"
#include "pipelines/register_all.hpp"

namespace dp::cmd {

int run_kinds(const config::Settings& settings) {
  const auto kinds = pipelines::read_kinds(settings.kinds_dir);
  std::cout << fmt::format("{} kinds (kinds_dir {})\n", kinds.size(), settings.kinds_dir.string());
  for (const auto& kind : kinds) {
    std::string patterns;
    for (const std::string& pattern : kind->patterns) {
      patterns += (patterns.empty() ? "" : " ") + pattern;
    }
    std::cout << fmt::format("{:<20} table {:<20} patterns {:<24} source {}\n", kind->name,
                             kind->model.table, patterns, kind->source);
  }
  return kExitOk;
}

}  // namespace dp::cmd
