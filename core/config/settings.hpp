#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace dp::config {

/// How new files in imports/ are noticed; poll exists for file systems without inotify events
/// (network mounts, some container bind mounts).
enum class WatchMode { kInotify, kPoll };

/// What to do with header columns no model column asks for (maps to pipeline::ExtraColumns;
/// config sits below the pipeline interface and cannot include it).
enum class ExtraColumnsPolicy { kIgnore, kFail };

/// What a rejected row does to its file: `continue` loads the good rows and records the bad
/// ones; `skip_file` fails the whole file at its first bad row.
enum class RowErrorPolicy { kContinue, kSkipFile };

/// What happens to a loaded file: moved to imports/.processed/ (auditable) or deleted (disk).
enum class AfterLoad { kMove, kDelete };

/// What `--pipeline` does when another run holds the warehouse lock: wait for it (safe for cron
/// and the service's own timer) or fail at once with exit code 1.
enum class PipelineLockPolicy { kWait, kFail };

/// Setting key (lower case) → where its value came from (`environment variable WORKERS`);
/// absent means the built-in default.
using SettingOrigins = std::map<std::string, std::string, std::less<>>;

/// Every setting of the service, typed, with its built-in default. Filled by load_settings()
/// from defaults, TOML, .env, the environment and --set; the setting table in
/// setting_table.cpp names, parses and documents each field.
struct Settings {
  // General.
  /// Development mode: --init-db drops and recreates the schemas, so it must be opt-in.
  bool dev = false;
  /// Debug-level logging is noisy (one line per file step), so it is off in production.
  bool debug_logs = false;

  // Database.
  /// libpq URI or key=value string; empty starts the embedded PostgreSQL under data_dir, so a
  /// first run needs no database server.
  std::string db_string;
  /// Logs every SQL statement's text (never its parameters) to trace what the service runs.
  bool echo_sql = false;
  /// Applies pending migrations at start-up so a fresh database works without --init-db.
  bool init_db = true;
  /// Schema of the per-kind staging tables; configurable to share a database with other apps.
  std::string staging_schema = "staging";
  /// Schema of the warehouse dimensions and facts, kept apart from staging.
  std::string dw_schema = "datawarehouse";
  /// Where the embedded PostgreSQL cluster lives (data_dir/pgdata) when db_string is empty.
  std::filesystem::path data_dir = "var";
  /// TCP port of the embedded PostgreSQL; 0 listens on its unix socket only (nothing exposed).
  int embedded_pg_port = 0;
  /// Total time start-up keeps retrying the first connection: a compose database may start later.
  std::chrono::milliseconds db_connect_timeout_s{std::chrono::seconds(60)};
  /// Cap of the exponential back-off between reconnection attempts, so recovery is noticed soon.
  std::chrono::milliseconds db_retry_max_delay_s{std::chrono::seconds(30)};

  // Folders.
  /// Drop folder the service watches; loaded files move to its .processed/, failed to .failed/.
  std::filesystem::path imports_dir = "imports";
  /// Where rejects, analysis CSVs and the HTML report are written.
  std::filesystem::path exports_dir = "exports";
  /// Where the rotating log file dataprocessor.log is written.
  std::filesystem::path logs_dir = "logs";
  /// Mode of the files the service creates (rejects, error reports, exports, the report, logs):
  /// they hold raw rows, so owner and group only; folders get the matching search bits (0750).
  unsigned output_mode = 0640;
  /// Migrations, warehouse steps and analysis views. Empty (the default): the sql/ shipped beside
  /// the executable (see shipped_files.hpp), so the binary works from any working folder.
  std::filesystem::path sql_dir;
  /// Folder of user kind files (`*.toml`) loaded beside the built-in kinds at start-up and
  /// re-read on SIGHUP, so that a new feed needs no rebuild; a missing folder holds no kinds.
  std::filesystem::path kinds_dir = "kinds";

  // Ingest.
  /// Files loaded in parallel; one COPY stream keeps one PostgreSQL core busy.
  int workers = 2;
  /// inotify is fast; poll works where inotify sees no events. Both are backed by rescans.
  WatchMode watch_mode = WatchMode::kInotify;
  /// Quiet time after a writer closes a file (or a scan first sees it) before it counts as
  /// complete, so half-copied files are never read.
  std::chrono::milliseconds settle_ms{200};
  /// Periodic full scan of imports/: the directory is the truth, inotify only a hint.
  std::chrono::milliseconds rescan_interval_s{std::chrono::seconds(30)};
  /// Scan period of watch_mode=poll.
  std::chrono::milliseconds poll_interval_ms{1000};
  /// Largest CSV record accepted; bounds memory when a quote is never closed.
  std::uint64_t max_record_bytes = 16 * 1024 * 1024;
  /// A plain file this big is cut at record boundaries and copied over several connections at
  /// once: one COPY stream keeps only one PostgreSQL core busy. 0 sends every file that way.
  std::uint64_t parallel_copy_min_bytes = 64 * 1024 * 1024;
  /// COPY streams of one big file; the server needs max_prepared_transactions >= streams - 1
  /// per load running at once (two-phase commit), or the file loads with one stream.
  int parallel_copy_streams = 2;
  /// Unexpected extra columns are usually harmless additions by the producer, so ignore them.
  ExtraColumnsPolicy on_extra_columns = ExtraColumnsPolicy::kIgnore;
  /// Bad rows are recorded as rejects and the good rows loaded, unless configured otherwise.
  RowErrorPolicy on_error = RowErrorPolicy::kContinue;
  /// A file with a larger share of rejected rows fails as a whole: it is probably the wrong
  /// file, not a few bad rows.
  double max_reject_ratio = 0.1;
  /// Past this many rejects a file fails at once: bounds the reject spool and the time spent on
  /// a file that is bad throughout.
  std::uint64_t max_rejects = 10000;
  /// Loaded files are kept in imports/.processed/ for audit unless disk space matters more.
  AfterLoad after_load = AfterLoad::kMove;
  /// Files waiting for a worker; beyond it the watcher relies on the next scan (back-pressure).
  std::uint64_t queue_capacity = 1000;
  /// Names this process among replicas sharing imports/ and the database (ledger, /metrics,
  /// --status); empty = host name and process id, unique without configuration.
  std::string replica_id;
  /// A replica whose connection goes silent (node lost, cable cut) loses its sessions, and so its
  /// file claims, within about this long; a killed process loses them at once.
  std::chrono::milliseconds replica_timeout_s{std::chrono::seconds(30)};

  // HTTP.
  /// Port of /healthz and /metrics (and of `--health`); 0 disables the HTTP server.
  int http_port = 8080;
  /// Address the HTTP server binds; loopback, so that nothing sharing the network reaches the
  /// endpoints unless the operator says so (the Docker image sets 0.0.0.0 for its health check).
  std::string http_bind = "127.0.0.1";
  /// Open HTTP connections at most, so clients cannot take the descriptors the loads need.
  int http_max_connections = 64;
  /// Time a client gets to send a request (and to read the answer), so a slow client cannot
  /// hold a connection.
  std::chrono::milliseconds http_client_timeout_s{std::chrono::seconds(10)};

  // Warehouse pipeline.
  /// Retries of a failed --pipeline run, for transient errors such as a lost connection.
  int pipeline_retries = 2;
  /// Wait between pipeline retries, long enough for a restarting database.
  std::chrono::milliseconds pipeline_retry_delay_s{std::chrono::seconds(60)};
  /// What a pipeline run does while another holds the lock (see PipelineLockPolicy).
  PipelineLockPolicy pipeline_lock = PipelineLockPolicy::kWait;
  /// How often the watching service runs the pipeline itself; zero (empty) means never, leaving
  /// it to an external scheduler.
  std::chrono::milliseconds pipeline_interval{0};
  /// A file that waits in imports/ longer than this makes /healthz and --status report the
  /// service as stale (stuck), so monitoring notices a silent stop.
  std::chrono::milliseconds stale_after{std::chrono::minutes(10)};

  // Notifications.
  /// Telegram bot token for failure notifications; secret, never printed.
  std::string telegram_bot_token;
  /// Telegram chat that receives the notifications; needed together with the token.
  std::string telegram_chat_id;
  /// Telegram API base URL, configurable for a proxy or a test server.
  std::string telegram_api_url = "https://api.telegram.org";
  /// Generic webhook that receives a JSON POST per notification; secret (tokens live in it).
  std::string webhook_url;
  /// Successful loads are routine; notify on them only when asked.
  bool notify_on_success = false;
  /// PEM bundle trusted for notification HTTPS in addition to the system store: a private CA in
  /// front of the webhook, or a test's throwaway CA. Verification is never turned off.
  std::string notify_ca_file;

  // Logging.
  /// Size at which the log file rotates, so logs never fill the disk.
  std::uint64_t log_max_file_bytes = 10 * 1024 * 1024;
  /// Rotated log files kept besides the current one.
  int log_max_files = 5;

  /// One `key = value` line per setting, secrets masked, with the source of each value when
  /// `origins` is given: what the service logs at start-up to say how it is configured.
  std::string describe(const SettingOrigins& origins = {}) const;
};

}  // namespace dp::config
