#include "core/config/setting_table.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <utility>

#include <fmt/format.h>

#include "core/config/config_error.hpp"
#include "core/config/secrets.hpp"
#include "core/config/value_parsing.hpp"

namespace dp::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// Field-independent part of a spec; the builders below add parsing and printing.
struct Doc {
  std::string_view key;
  std::string_view group;
  std::string_view help;
};

SettingSpec spec(const Doc& doc, std::string accepts) {
  SettingSpec out;
  out.key = doc.key;
  out.group = doc.group;
  out.help = doc.help;
  out.accepts = std::move(accepts);
  return out;
}

SettingSpec bool_setting(const Doc& doc, bool Settings::*member) {
  SettingSpec out = spec(doc, "true/false/1/0/yes/no/on/off");
  out.assign = [member](Settings& s, std::string_view text) { s.*member = parse_bool(text); };
  out.show = [member](const Settings& s) { return std::string(s.*member ? "true" : "false"); };
  return out;
}

template <typename T>
SettingSpec integer_setting(const Doc& doc, T Settings::*member, std::int64_t min,
                            std::int64_t max) {
  SettingSpec out = spec(doc, fmt::format("{}..{}", min, max));
  out.assign = [member, min, max](Settings& s, std::string_view text) {
    s.*member = static_cast<T>(parse_integer(text, min, max));
  };
  out.show = [member](const Settings& s) { return std::to_string(s.*member); };
  return out;
}

SettingSpec ratio_setting(const Doc& doc, double Settings::*member) {
  SettingSpec out = spec(doc, "0..1");
  out.assign = [member](Settings& s, std::string_view text) {
    s.*member = parse_number(text, 0, 1);
  };
  out.show = [member](const Settings& s) { return fmt::format("{}", s.*member); };
  return out;
}

/// Free text; `required` rejects an empty value (schema names, bind address).
SettingSpec string_setting(const Doc& doc, std::string Settings::*member, bool required) {
  SettingSpec out = spec(doc, required ? "non-empty text" : "text");
  out.assign = [member, required](Settings& s, std::string_view text) {
    if (required && trim(text).empty()) {
      throw ValueError("expected a non-empty value");
    }
    s.*member = std::string(text);
  };
  out.show = [member](const Settings& s) { return s.*member; };
  return out;
}

/// PostgreSQL truncates identifiers to 63 bytes; a longer name would silently be another schema.
SettingSpec schema_setting(const Doc& doc, std::string Settings::*member) {
  SettingSpec out = spec(doc, "schema name, 1..63 bytes");
  out.assign = [member](Settings& s, std::string_view text) {
    if (text.empty() || text.size() > 63) {
      throw ValueError("expected a schema name of 1 to 63 bytes");
    }
    s.*member = std::string(text);
  };
  out.show = [member](const Settings& s) { return s.*member; };
  return out;
}

/// A replica name travels in a connection's options and in metric labels: letters, digits and
/// `._-` only, so it needs no quoting anywhere; empty means host name and process id.
SettingSpec replica_id_setting(const Doc& doc, std::string Settings::*member) {
  SettingSpec out = spec(doc, "letters, digits, . _ -; 1..48 bytes, or empty");
  out.assign = [member](Settings& s, std::string_view text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    });
    if (text.size() > 48 || !plain) {
      throw ValueError("expected up to 48 letters, digits, '.', '_' or '-'");
    }
    s.*member = std::string(text);
  };
  out.show = [member](const Settings& s) { return s.*member; };
  return out;
}

/// `empty_means_default`: an empty value is accepted and leaves the folder to be found at
/// start-up (sql_dir: beside the executable).
SettingSpec path_setting(const Doc& doc, std::filesystem::path Settings::*member,
                         bool empty_means_default = false) {
  SettingSpec out = spec(doc, empty_means_default ? "path, or empty" : "path");
  out.assign = [member, empty_means_default](Settings& s, std::string_view text) {
    if (trim(text).empty() && !empty_means_default) {
      throw ValueError("expected a non-empty path");
    }
    s.*member = std::filesystem::path(std::string(text));
  };
  out.show = [member](const Settings& s) { return (s.*member).string(); };
  return out;
}

/// `may_be_off`: an empty value, `0` or `off` means disabled (stored as zero).
SettingSpec duration_setting(const Doc& doc, milliseconds Settings::*member,
                             PlainDurationUnit plain, milliseconds min, milliseconds max,
                             bool may_be_off = false) {
  const std::string_view plain_name = plain == PlainDurationUnit::kSeconds ? "seconds" : "ms";
  SettingSpec out = spec(doc, fmt::format("duration {}..{} (plain number: {}){}",
                                          format_duration(min), format_duration(max), plain_name,
                                          may_be_off ? "; empty or off disables" : ""));
  out.assign = [member, plain, min, max, may_be_off](Settings& s, std::string_view text) {
    const std::string_view value = trim(text);
    if (may_be_off && (value.empty() || value == "0" || equals_ignoring_case(value, "off"))) {
      s.*member = milliseconds(0);
      return;
    }
    const milliseconds parsed = parse_duration(value, plain);
    if (parsed < min || parsed > max) {
      throw ValueError(fmt::format("expected a duration from {} to {}", format_duration(min),
                                   format_duration(max)));
    }
    s.*member = parsed;
  };
  // A key that names its unit shows values in that unit (`settle_ms = 200ms`, `60s`), the others
  // in the compact form (`stale_after = 10m`).
  const bool in_ms = doc.key.ends_with("_ms");
  const bool in_seconds = doc.key.ends_with("_s");
  out.show = [member, may_be_off, in_ms, in_seconds](const Settings& s) {
    const milliseconds value = s.*member;
    if (may_be_off && value.count() == 0) {
      return std::string();
    }
    if (in_ms || (in_seconds && value.count() % 1000 != 0)) {
      return fmt::format("{}ms", value.count());
    }
    return in_seconds ? fmt::format("{}s", value.count() / 1000) : format_duration(value);
  };
  return out;
}

SettingSpec size_setting(const Doc& doc, std::uint64_t Settings::*member, std::uint64_t min,
                         std::uint64_t max) {
  SettingSpec out =
      spec(doc, fmt::format("bytes {}..{}", format_byte_size(min), format_byte_size(max)));
  out.assign = [member, min, max](Settings& s, std::string_view text) {
    const std::uint64_t parsed = parse_byte_size(text);
    if (parsed < min || parsed > max) {
      throw ValueError(fmt::format("expected a size from {} to {}", format_byte_size(min),
                                   format_byte_size(max)));
    }
    s.*member = parsed;
  };
  out.show = [member](const Settings& s) { return format_byte_size(s.*member); };
  return out;
}

template <typename E>
SettingSpec enum_setting(const Doc& doc, E Settings::*member,
                         std::initializer_list<std::pair<std::string_view, E>> names) {
  std::vector<std::pair<std::string_view, E>> table(names);
  std::string accepts;
  for (const auto& [name, value] : table) {
    accepts += accepts.empty() ? "" : "|";
    accepts += name;
  }
  SettingSpec out = spec(doc, accepts);
  out.assign = [member, table, accepts](Settings& s, std::string_view text) {
    for (const auto& [name, value] : table) {
      if (equals_ignoring_case(trim(text), name)) {
        s.*member = value;
        return;
      }
    }
    throw ValueError(fmt::format("expected one of {}", accepts));
  };
  out.show = [member, table](const Settings& s) {
    for (const auto& [name, value] : table) {
      if (s.*member == value) {
        return std::string(name);
      }
    }
    return std::string("?");
  };
  return out;
}

/// A file mode written in octal (`0640`, `640`); the owner must keep read and write, or the
/// service could not append to its own logs.
SettingSpec mode_setting(const Doc& doc, unsigned Settings::*member) {
  SettingSpec out = spec(doc, "octal mode 0600..0777 (owner read and write)");
  out.assign = [member](Settings& s, std::string_view text) {
    const std::string value(trim(text));
    std::size_t used = 0;
    unsigned long parsed = 0;
    try {
      parsed = std::stoul(value, &used, 8);
    } catch (const std::exception&) {
      used = 0;
    }
    if (value.empty() || used != value.size() || parsed > 0777 || (parsed & 0600) != 0600) {
      throw ValueError("expected an octal mode from 0600 to 0777, such as 0640");
    }
    s.*member = static_cast<unsigned>(parsed);
  };
  out.show = [member](const Settings& s) { return fmt::format("{:04o}", s.*member); };
  return out;
}

SettingSpec secret(SettingSpec setting, std::function<std::string(std::string_view)> mask) {
  setting.mask = std::move(mask);
  return setting;
}

std::string mask_whole(std::string_view value) {
  return value.empty() ? std::string() : std::string(kMask);
}

constexpr std::string_view kGeneral = "General";
constexpr std::string_view kDatabase = "Database";
constexpr std::string_view kFolders = "Folders";
constexpr std::string_view kIngest = "Ingest";
constexpr std::string_view kHttp = "HTTP";
constexpr std::string_view kWarehouse = "Warehouse pipeline";
constexpr std::string_view kNotify = "Notifications";
constexpr std::string_view kLogging = "Logging";

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kGiB = kKiB * kKiB * kKiB;
constexpr auto kMs = PlainDurationUnit::kMilliseconds;
constexpr auto kSec = PlainDurationUnit::kSeconds;
constexpr milliseconds kDay = std::chrono::hours(24);

std::vector<SettingSpec> build_table() {
  using S = Settings;
  std::vector<SettingSpec> t;
  t.push_back(bool_setting(
      {"dev", kGeneral, "development mode: --init-db drops and recreates the schemas"}, &S::dev));
  t.push_back(bool_setting({"debug_logs", kGeneral, "log at debug level"}, &S::debug_logs));

  SettingSpec db = secret(
      string_setting({"db_string", kDatabase,
                      "libpq URI or key=value string; empty = embedded PostgreSQL in data_dir"},
                     &S::db_string, false),
      [](std::string_view v) { return mask_secrets(v); });
  db.alias = "database_url";
  t.push_back(std::move(db));
  t.push_back(
      bool_setting({"echo_sql", kDatabase, "log the text of every SQL statement"}, &S::echo_sql));
  t.push_back(
      bool_setting({"init_db", kDatabase, "apply pending migrations at start-up"}, &S::init_db));
  t.push_back(schema_setting({"staging_schema", kDatabase, "schema of the staging tables"},
                             &S::staging_schema));
  t.push_back(
      schema_setting({"dw_schema", kDatabase, "schema of the warehouse tables"}, &S::dw_schema));
  t.push_back(path_setting(
      {"data_dir", kDatabase, "folder of the embedded PostgreSQL cluster (data_dir/pgdata)"},
      &S::data_dir));
  t.push_back(integer_setting(
      {"embedded_pg_port", kDatabase, "TCP port of the embedded PostgreSQL; 0 = unix socket only"},
      &S::embedded_pg_port, 0, 65535));
  t.push_back(duration_setting({"db_connect_timeout_s", kDatabase,
                                "how long start-up retries the first database connection"},
                               &S::db_connect_timeout_s, kSec, seconds(1), kDay));
  t.push_back(duration_setting(
      {"db_retry_max_delay_s", kDatabase, "longest wait between reconnection attempts"},
      &S::db_retry_max_delay_s, kSec, milliseconds(100), kDay));

  t.push_back(
      path_setting({"imports_dir", kFolders, "drop folder the service watches"}, &S::imports_dir));
  t.push_back(path_setting(
      {"exports_dir", kFolders, "where rejects, analysis CSVs and reports are written"},
      &S::exports_dir));
  t.push_back(
      path_setting({"logs_dir", kFolders, "where dataprocessor.log is written"}, &S::logs_dir));
  t.push_back(mode_setting({"output_mode", kFolders,
                            "mode of created files holding rows (rejects, reports, exports, "
                            "logs); folders get the matching search bits"},
                           &S::output_mode));
  t.push_back(path_setting({"sql_dir", kFolders,
                            "migrations, warehouse steps and analysis views; empty = the sql/ "
                            "built or installed beside the executable"},
                           &S::sql_dir, true));
  t.push_back(path_setting({"kinds_dir", kFolders,
                            "user kind files (*.toml) loaded beside the built-in kinds; re-read "
                            "on SIGHUP"},
                           &S::kinds_dir));

  t.push_back(
      integer_setting({"workers", kIngest, "files loaded in parallel"}, &S::workers, 1, 64));
  t.push_back(enum_setting({"watch_mode", kIngest, "how new files are noticed"}, &S::watch_mode,
                           {{"inotify", WatchMode::kInotify}, {"poll", WatchMode::kPoll}}));
  t.push_back(duration_setting(
      {"settle_ms", kIngest, "quiet time before a closed or scanned file counts as complete"},
      &S::settle_ms, kMs, milliseconds(0), std::chrono::hours(1)));
  t.push_back(
      duration_setting({"rescan_interval_s", kIngest, "period of the full scan of imports_dir"},
                       &S::rescan_interval_s, kSec, seconds(1), kDay));
  t.push_back(duration_setting({"poll_interval_ms", kIngest, "scan period when watch_mode=poll"},
                               &S::poll_interval_ms, kMs, milliseconds(10), std::chrono::hours(1)));
  t.push_back(size_setting({"max_record_bytes", kIngest, "largest CSV record accepted"},
                           &S::max_record_bytes, kKiB, kGiB));
  t.push_back(size_setting(
      {"parallel_copy_min_bytes", kIngest, "files this big load over parallel_copy_streams"},
      &S::parallel_copy_min_bytes, 0, std::uint64_t{1} << 50));
  t.push_back(integer_setting(
      {"parallel_copy_streams", kIngest, "COPY streams of one big file (1 = never split)"},
      &S::parallel_copy_streams, 1, 16));
  t.push_back(
      enum_setting({"on_extra_columns", kIngest, "header columns no model column asks for"},
                   &S::on_extra_columns,
                   {{"ignore", ExtraColumnsPolicy::kIgnore}, {"fail", ExtraColumnsPolicy::kFail}}));
  t.push_back(enum_setting(
      {"on_error", kIngest, "continue = load good rows, record rejects; skip_file = fail the file"},
      &S::on_error,
      {{"continue", RowErrorPolicy::kContinue}, {"skip_file", RowErrorPolicy::kSkipFile}}));
  t.push_back(ratio_setting(
      {"max_reject_ratio", kIngest, "a file with a larger share of rejected rows fails"},
      &S::max_reject_ratio));
  t.push_back(integer_setting(
      {"max_rejects", kIngest, "a file with more rejected rows fails at once, unread to the end"},
      &S::max_rejects, 0, 1000000000000));
  t.push_back(enum_setting(
      {"after_load", kIngest, "move loaded files to imports_dir/.processed, or delete them"},
      &S::after_load, {{"move", AfterLoad::kMove}, {"delete", AfterLoad::kDelete}}));
  t.push_back(integer_setting(
      {"queue_capacity", kIngest, "files waiting for a worker before back-pressure"},
      &S::queue_capacity, 1, 1000000));
  t.push_back(replica_id_setting(
      {"replica_id", kIngest, "name of this replica; empty = host name and process id"},
      &S::replica_id));
  t.push_back(duration_setting({"replica_timeout_s", kIngest,
                                "a replica whose connection goes silent loses its claims "
                                "within this"},
                               &S::replica_timeout_s, kSec, seconds(3), std::chrono::hours(1)));

  t.push_back(integer_setting(
      {"http_port", kHttp, "port of /healthz and /metrics; 0 disables the HTTP server"},
      &S::http_port, 0, 65535));
  t.push_back(string_setting(
      {"http_bind", kHttp, "address the HTTP server binds; 0.0.0.0 exposes it to the network"},
      &S::http_bind, true));
  t.push_back(integer_setting(
      {"http_max_connections", kHttp, "open HTTP connections at most; idle ones make room"},
      &S::http_max_connections, 1, 100000));
  t.push_back(duration_setting(
      {"http_client_timeout_s", kHttp, "time a client gets to send its request or read the answer"},
      &S::http_client_timeout_s, kSec, milliseconds(100), std::chrono::minutes(10)));

  t.push_back(integer_setting({"pipeline_retries", kWarehouse, "retries of a failed pipeline run"},
                              &S::pipeline_retries, 0, 100));
  t.push_back(
      duration_setting({"pipeline_retry_delay_s", kWarehouse, "wait between pipeline retries"},
                       &S::pipeline_retry_delay_s, kSec, milliseconds(0), kDay));
  t.push_back(
      enum_setting({"pipeline_lock", kWarehouse,
                    "when another run holds the lock: wait for it, or fail at once"},
                   &S::pipeline_lock,
                   {{"wait", PipelineLockPolicy::kWait}, {"fail", PipelineLockPolicy::kFail}}));
  t.push_back(duration_setting(
      {"pipeline_interval", kWarehouse, "the watching service runs the pipeline this often"},
      &S::pipeline_interval, kSec, seconds(1), 365 * kDay, true));
  t.push_back(duration_setting(
      {"stale_after", kWarehouse, "a file waiting longer than this marks the service stale"},
      &S::stale_after, kSec, seconds(1), 365 * kDay));

  t.push_back(secret(string_setting({"telegram_bot_token", kNotify,
                                     "Telegram bot token for notifications (secret)"},
                                    &S::telegram_bot_token, false),
                     mask_whole));
  t.push_back(
      string_setting({"telegram_chat_id", kNotify, "Telegram chat that receives notifications"},
                     &S::telegram_chat_id, false));
  t.push_back(string_setting({"telegram_api_url", kNotify, "Telegram API base URL"},
                             &S::telegram_api_url, true));
  t.push_back(secret(string_setting({"webhook_url", kNotify,
                                     "URL that receives a JSON POST per notification (secret)"},
                                    &S::webhook_url, false),
                     [](std::string_view v) { return mask_url(v); }));
  t.push_back(bool_setting(
      {"notify_on_success", kNotify, "notify on successful loads too, not only on failures"},
      &S::notify_on_success));
  t.push_back(string_setting({"notify_ca_file", kNotify,
                              "PEM CA bundle trusted for notification HTTPS besides the system "
                              "store"},
                             &S::notify_ca_file, false));

  t.push_back(
      size_setting({"log_max_file_bytes", kLogging, "size at which dataprocessor.log rotates"},
                   &S::log_max_file_bytes, 64 * kKiB, 64 * kGiB));
  t.push_back(integer_setting({"log_max_files", kLogging, "rotated log files kept"},
                              &S::log_max_files, 1, 1000));
  return t;
}

/// Levenshtein distance, for "did you mean" hints on misspelt keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string SettingSpec::env_name() const {
  return to_upper(key);
}

std::string SettingSpec::shown_value(const Settings& settings) const {
  const std::string value = show(settings);
  if (value.empty()) {
    return "\"\"";
  }
  return secret() ? mask(value) : value;
}

const std::vector<SettingSpec>& setting_table() {
  static const std::vector<SettingSpec> table = build_table();
  return table;
}

const SettingSpec* find_setting(std::string_view key) {
  for (const SettingSpec& setting : setting_table()) {
    if (equals_ignoring_case(key, setting.key) ||
        (!setting.alias.empty() && equals_ignoring_case(key, setting.alias))) {
      return &setting;
    }
  }
  return nullptr;
}

std::string suggest_setting(std::string_view key) {
  const std::string lowered = to_lower(key);
  std::string best;
  std::size_t best_distance = 3;
  for (const SettingSpec& setting : setting_table()) {
    const std::size_t distance = edit_distance(lowered, setting.key);
    if (distance < best_distance) {
      best_distance = distance;
      best = setting.key;
    }
  }
  return best;
}

std::string settings_reference() {
  const Settings defaults;
  std::string out;
  std::string_view group;
  for (const SettingSpec& setting : setting_table()) {
    if (setting.group != group) {
      group = setting.group;
      out += fmt::format("\n  {}:\n", group);
    }
    std::string names = fmt::format("{} / {}", setting.key, setting.env_name());
    if (!setting.alias.empty()) {
      names += fmt::format(" / {}", to_upper(setting.alias));
    }
    out += fmt::format("    {} = {}\n        {} [{}]\n", names, setting.shown_value(defaults),
                       setting.help, setting.accepts);
  }
  return out;
}

std::string Settings::describe(const SettingOrigins& origins) const {
  std::string out;
  for (const SettingSpec& setting : setting_table()) {
    out += fmt::format("{} = {}", setting.key, setting.shown_value(*this));
    if (const auto origin = origins.find(setting.key); origin != origins.end()) {
      out += fmt::format("  ({})", origin->second);
    }
    out += '\n';
  }
  return out;
}

}  // namespace dp::config
