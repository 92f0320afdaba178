#include "core/log/logging.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "core/fs/safe_directory.hpp"
#include "core/log/private_file_sink.hpp"

namespace dp::log {
namespace {

constexpr std::string_view kPattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v";

std::mutex sql_mutex;
std::shared_ptr<spdlog::logger> sql;
std::atomic<bool> echo_sql{false};

std::shared_ptr<spdlog::logger> make_logger(const std::string& name,
                                            const std::vector<spdlog::sink_ptr>& sinks,
                                            spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
  logger->set_pattern(std::string(kPattern));
  logger->set_level(level);
  // Every line reaches the file at once: a crash or a `tail -f` must see the last lines, and the
  // service logs per file, not per row.
  logger->flush_on(spdlog::level::trace);
  return logger;
}

}  // namespace

std::optional<std::filesystem::path> setup_logging(const config::Settings& settings) {
  std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  std::optional<std::filesystem::path> file;
  std::string file_problem;
  try {
    auto folder = files::SafeDirectory::open_configured(settings.logs_dir,
                                                        files::OutputModes{settings.output_mode});
    const std::filesystem::path path = settings.logs_dir / kLogFileName;
    sinks.push_back(
        std::make_shared<PrivateFileSink>(std::move(folder), std::string(kLogFileName),
                                          static_cast<std::size_t>(settings.log_max_file_bytes),
                                          static_cast<std::size_t>(settings.log_max_files)));
    file = path;
  } catch (const std::exception& e) {
    file_problem = e.what();
  }
  const auto level = settings.debug_logs ? spdlog::level::debug : spdlog::level::info;
  spdlog::set_default_logger(make_logger("dataprocessor", sinks, level));
  {
    const std::lock_guard lock(sql_mutex);
    // Echo is asked for explicitly, so it shows at info level even without debug_logs.
    sql = make_logger("sql", sinks, spdlog::level::info);
  }
  echo_sql = settings.echo_sql;
  if (!file_problem.empty()) {
    spdlog::warn("cannot write the log file in {}: {}; logging to the console only",
                 settings.logs_dir.string(), file_problem);
  }
  return file;
}

std::shared_ptr<spdlog::logger> sql_logger() {
  const std::lock_guard lock(sql_mutex);
  return sql;
}

bool sql_echo_enabled() {
  return echo_sql;
}

void log_sql(std::string_view statement) {
  if (!echo_sql) {
    return;
  }
  if (const auto logger = sql_logger()) {
    logger->info("{}", statement);
  }
}

}  // namespace dp::log
