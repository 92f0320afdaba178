#pragma once

#include <ostream>

#include "cmd/command_line.hpp"

namespace dp::cmd {

/// `--infer FILE [--name KIND] [--rows N]`: prints to `out` a kind declaration (TOML, the keys
/// of docs/file-kinds.md) drafted from the first records of FILE. Exit code 0 with the draft,
/// 1 when the file cannot be read or drafted (not UTF-8, no records, a broken quote; the reason
/// goes to `err`), 2 for an invalid --name.
int run_infer(const InferArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace dp::cmd
