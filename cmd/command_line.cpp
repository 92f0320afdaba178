#include "cmd/command_line.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <set>

#include <fmt/format.h>

namespace dp::cmd {
namespace {

/// How one option is written and which modes it belongs to.
struct OptionSpec {
  std::string_view name;
  /// Whether it takes a value (`--rows N`, `--rows=N`).
  bool takes_value = false;
  /// Set for the options that select a mode.
  std::optional<Mode> selects;
  /// Modes the option is allowed with; empty = every mode.
  std::vector<Mode> only_with;
  /// Whether it may be given more than once.
  bool repeatable = false;
};

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> table{
      {"--watch", false, Mode::kWatch, {}, false},
      {"--ingest", false, Mode::kIngest, {}, false},
      {"--check", false, Mode::kCheck, {}, false},
      {"--pipeline", false, Mode::kPipeline, {}, false},
      {"--analysis", false, Mode::kAnalysis, {}, false},
      {"--init-db", false, Mode::kInitDb, {}, false},
      {"--status", false, Mode::kStatus, {}, false},
      {"--generate", true, Mode::kGenerate, {}, false},
      {"--health", false, Mode::kHealth, {}, false},
      {"--kinds", false, Mode::kKinds, {}, false},
      {"--infer", true, Mode::kInfer, {}, false},
      {"--name", true, std::nullopt, {Mode::kInfer}, false},
      {"--full", false, std::nullopt, {Mode::kPipeline}, false},
      {"--json", false, std::nullopt, {Mode::kStatus}, false},
      {"--limit", true, std::nullopt, {Mode::kIngest, Mode::kCheck}, false},
      {"--rows", true, std::nullopt, {Mode::kGenerate, Mode::kInfer}, false},
      {"--out", true, std::nullopt, {Mode::kGenerate}, false},
      {"--seed", true, std::nullopt, {Mode::kGenerate}, false},
      {"--bad-rows", true, std::nullopt, {Mode::kGenerate}, false},
      {"--config", true, std::nullopt, {}, false},
      {"--env-file", true, std::nullopt, {}, false},
      {"--set", true, std::nullopt, {}, true},
  };
  return table;
}

const OptionSpec* find_option(std::string_view name) {
  for (const OptionSpec& option : option_table()) {
    if (option.name == name) {
      return &option;
    }
  }
  return nullptr;
}

std::uint64_t parse_count(std::string_view option, std::string_view text, std::uint64_t min) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    throw UsageError(fmt::format("{} expects a whole number, got \"{}\"", option, text));
  }
  if (value < min) {
    throw UsageError(fmt::format("{} must be at least {}, got {}", option, min, value));
  }
  return value;
}

std::string joined_flags(const std::vector<Mode>& modes) {
  std::string out;
  for (const Mode mode : modes) {
    out += out.empty() ? "" : " or ";
    out += mode_flag(mode);
  }
  return out;
}

/// Stores one option's value into the command line.
void store(CommandLine& line, std::string_view name, const std::string& value) {
  if (value.empty() && name != "--set") {
    throw UsageError(fmt::format("{} needs a non-empty value", name));
  }
  if (name == "--generate") {
    line.generate.kind = value;
  } else if (name == "--limit") {
    line.limit = parse_count(name, value, 1);
  } else if (name == "--rows") {
    line.generate.rows = parse_count(name, value, 0);
    line.infer.rows = line.generate.rows;
  } else if (name == "--infer") {
    line.infer.file = value;
  } else if (name == "--name") {
    line.infer.name = value;
  } else if (name == "--out") {
    line.generate.out = value;
  } else if (name == "--seed") {
    line.generate.seed = parse_count(name, value, 0);
  } else if (name == "--bad-rows") {
    line.generate.bad_rows = parse_count(name, value, 0);
  } else if (name == "--config") {
    line.config_file = value;
  } else if (name == "--env-file") {
    line.env_file = value;
  } else if (name == "--set") {
    const std::size_t equals = value.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageError(fmt::format("--set expects KEY=VALUE, got \"{}\"", value));
    }
    line.overrides.push_back(value);
  }
}

void check_mode_arguments(const CommandLine& line, const std::vector<std::string>& positional,
                          const std::set<std::string_view>& given) {
  for (const std::string_view name : given) {
    const OptionSpec& option = *find_option(name);
    if (!option.only_with.empty() && std::find(option.only_with.begin(), option.only_with.end(),
                                               line.mode) == option.only_with.end()) {
      throw UsageError(
          fmt::format("{} can only be used with {}", name, joined_flags(option.only_with)));
    }
  }
  const bool takes_files = line.mode == Mode::kIngest || line.mode == Mode::kCheck;
  if (!takes_files && !positional.empty()) {
    throw UsageError(fmt::format("unexpected argument \"{}\"", positional.front()));
  }
  if (takes_files && line.files.empty()) {
    throw UsageError(fmt::format("{} needs at least one FILE", mode_flag(line.mode)));
  }
  if (line.mode == Mode::kInfer && line.infer.rows == 0) {
    throw UsageError("--rows must be at least 1 with --infer");
  }
  if (line.mode == Mode::kGenerate) {
    if (!given.contains("--rows")) {
      throw UsageError("--generate needs --rows N");
    }
    if (!given.contains("--out")) {
      throw UsageError("--generate needs --out DIR");
    }
    if (line.generate.bad_rows > line.generate.rows) {
      throw UsageError(fmt::format("--bad-rows ({}) cannot exceed --rows ({})",
                                   line.generate.bad_rows, line.generate.rows));
    }
  }
}

}  // namespace

std::string_view mode_flag(Mode mode) {
  switch (mode) {
    case Mode::kWatch:
      return "--watch";
    case Mode::kIngest:
      return "--ingest";
    case Mode::kCheck:
      return "--check";
    case Mode::kPipeline:
      return "--pipeline";
    case Mode::kAnalysis:
      return "--analysis";
    case Mode::kInitDb:
      return "--init-db";
    case Mode::kStatus:
      return "--status";
    case Mode::kGenerate:
      return "--generate";
    case Mode::kHealth:
      return "--health";
    case Mode::kKinds:
      return "--kinds";
    case Mode::kInfer:
      return "--infer";
    case Mode::kHelp:
      return "--help";
    case Mode::kVersion:
      return "--version";
  }
  return "?";
}

config::SettingsSources CommandLine::settings_sources() const {
  config::SettingsSources sources;
  sources.config_file = config_file;
  sources.env_file = env_file;
  sources.overrides = overrides;
  return sources;
}

CommandLine parse_command_line(const std::vector<std::string>& args) {
  CommandLine line;
  const auto options_end = std::find(args.begin(), args.end(), "--");
  if (std::find_if(args.begin(), options_end, [](const std::string& a) {
        return a == "--help" || a == "-h";
      }) != options_end) {
    line.mode = Mode::kHelp;
    return line;
  }
  if (std::find(args.begin(), options_end, "--version") != options_end) {
    line.mode = Mode::kVersion;
    return line;
  }

  std::optional<Mode> mode;
  std::set<std::string_view> given;
  std::vector<std::string> positional;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg.size() < 2 || arg.front() != '-') {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const OptionSpec* option = find_option(name);
    if (option == nullptr) {
      throw UsageError(fmt::format("unknown option \"{}\"", name));
    }
    if (!given.insert(option->name).second && !option->repeatable) {
      throw UsageError(fmt::format("{} is given more than once", option->name));
    }
    if (option->selects) {
      if (mode) {
        throw UsageError(fmt::format("only one mode may be given, not both {} and {}",
                                     mode_flag(*mode), option->name));
      }
      mode = option->selects;
    }
    if (!option->takes_value) {
      if (equals != std::string::npos) {
        throw UsageError(fmt::format("{} takes no value", option->name));
      }
      line.full = line.full || option->name == "--full";
      line.json = line.json || option->name == "--json";
      continue;
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
      value = args[++i];
    } else {
      throw UsageError(fmt::format("{} needs a value", option->name));
    }
    store(line, option->name, value);
  }
  line.mode = mode.value_or(Mode::kWatch);
  if (line.mode == Mode::kIngest || line.mode == Mode::kCheck) {
    line.files.assign(positional.begin(), positional.end());
  }
  check_mode_arguments(line, positional, given);
  return line;
}

CommandLine parse_command_line(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    args.emplace_back(argv[i]);
  }
  return parse_command_line(args);
}

}  // namespace dp::cmd
