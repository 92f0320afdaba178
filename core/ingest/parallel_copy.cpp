#include "core/ingest/parallel_copy.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/csv/csv_reader.hpp"
#include "core/db/pg_error.hpp"
#include "core/ingest/prepared_parts.hpp"
#include "core/ingest/record_splitter.hpp"

namespace dp::ingest {
namespace {

constexpr const char* kSavepoint = "dp_parallel_copy";

/// The file's header as a later part's converter needs it; nullopt when it cannot be read (the
/// single stream then reports why).
std::optional<std::vector<std::string>> read_header(const pipeline::Pipeline& pipeline,
                                                    const OpenedFile& opened,
                                                    const LoadOptions& options) {
  csv::CsvReader reader(opened.input(), reader_options_for(pipeline, options));
  return reader.read_header();
}

}  // namespace

/// One part: its bytes, its connection (none for part 0, which uses the load's own), its
/// thread, and what streaming it produced.
struct ParallelCopy::Part {
  FilePart range;
  LoadOptions options;
  std::unique_ptr<db::LibpqConnection> connection;
  RejectSpool rejects;
  StreamResult result;
  std::exception_ptr error;
  std::string prepare_error;
  bool prepared = false;
  std::thread thread;
};

bool wants_parallel_copy(const LoadOptions& options, std::uint64_t size_bytes) {
  return options.parallel_copy_streams > 1 && !options.conninfo.empty() && !options.dry_run &&
         !options.row_limit && size_bytes >= options.parallel_copy_min_bytes;
}

bool hashes_beside_rows(const LoadOptions& options, std::uint64_t size_bytes) {
  return !options.dry_run && !options.row_limit && size_bytes >= options.parallel_copy_min_bytes;
}

void kill_point_for_test(const char* point) {
  const char* wanted = std::getenv("DP_TEST_KILL_AT");
  if (wanted != nullptr && std::strcmp(wanted, point) == 0) {
    spdlog::warn("DP_TEST_KILL_AT={}: killing this process with SIGKILL", point);
    spdlog::default_logger()->flush();
    std::raise(SIGKILL);
  }
}

ParallelCopy::ParallelCopy(const pipeline::Pipeline& pipeline, const LoadOptions& options,
                           db::LibpqConnection& connection, const OpenedFile& opened,
                           const std::filesystem::path& path)
    : pipeline_(pipeline),
      options_(options),
      connection_(connection),
      opened_(opened),
      path_(path) {}

ParallelCopy::~ParallelCopy() {
  for (auto& part : parts_) {
    if (part->thread.joinable()) {
      part->thread.join();
    }
  }
  if (commit_started_ && !connection_.is_open()) {
    // The commit may have been made: only the resolver, under the load's lock, can know.
    spdlog::warn(
        "file id {}: connection lost during the commit; its prepared parts are left "
        "for the start-up resolution by the ledger",
        file_id_);
    return;
  }
  abandon();
}

bool ParallelCopy::prepared_transactions_available() {
  const auto result = connection_.exec("SHOW max_prepared_transactions");
  const auto available = std::stoull(std::string(result.get(0, 0)));
  if (available + 1 >= options_.parallel_copy_streams) {
    return true;
  }
  static std::once_flag logged;
  std::call_once(logged, [&] {
    spdlog::warn(
        "parallel_copy_streams = {} needs max_prepared_transactions >= {} on the "
        "server (two-phase commit of the parts); it is {}: big files load with one "
        "stream",
        options_.parallel_copy_streams, options_.parallel_copy_streams - 1, available);
  });
  return false;
}

std::optional<StreamResult> ParallelCopy::stream(std::int64_t file_id, RejectSpool& rejects) {
  file_id_ = file_id;
  if (opened_.is_gzip() || !prepared_transactions_available()) {
    return std::nullopt;
  }
  const auto ranges = split_at_line_feeds(opened_.descriptor(), opened_.identity().size,
                                          options_.parallel_copy_streams);
  if (ranges.size() < 2) {
    return std::nullopt;
  }
  std::optional<std::vector<std::string>> header;
  if (pipeline_.dialect().has_header) {
    header = read_header(pipeline_, opened_, options_);
    if (!header) {
      return std::nullopt;
    }
  }
  spdlog::info("{}: copying {} parts side by side (file id {})", path_.filename().string(),
               ranges.size(), file_id);
  database_ = database_oid(connection_);
  lock_live_load(connection_, file_id);
  locked_ = true;
  connection_.exec(std::string("SAVEPOINT ") + kSavepoint);
  tables_ =
      PartTables{options_.staging_schema, pipeline_.staging_model().table, file_id, ranges.size()};
  try {
    db::LibpqConnection ddl(options_.conninfo);
    create_part_tables(ddl, *tables_);
  } catch (const std::exception& error) {
    spdlog::warn("{}: cannot create its part tables ({}); loading it with one stream",
                 path_.filename().string(), error.what());
    abandon();
    return std::nullopt;
  }

  for (const auto& range : ranges) {
    auto part = std::make_unique<Part>();
    part->range = range;
    part->options = options_;
    part->options.on_progress = nullptr;
    parts_.push_back(std::move(part));
  }
  for (std::size_t index = 1; index < parts_.size(); ++index) {
    Part& part = *parts_[index];
    part.thread = std::thread([this, &part, index, file_id, &header] {
      try {
        part.connection = std::make_unique<db::LibpqConnection>(options_.conninfo);
        part.connection->begin();
        const StreamStart start{part.range.first_line,       part.range.begin,
                                header ? &*header : nullptr, true,
                                tables_->schema(),           tables_->table(index)};
        part.result =
            RowStreamer(pipeline_, part.options, *part.connection, part.rejects)
                .stream(opened_.part(part.range.begin, part.range.end), path_, file_id, start);
        if (part.result.stopped_at_first_reject) {
          return;
        }
        index_part_table(*part.connection, *tables_, index);
        try {
          part.connection->exec("PREPARE TRANSACTION '" +
                                prepared_part_name(database_, file_id, index) + "'");
          part.prepared = true;
        } catch (const db::PgError& error) {
          part.prepare_error = error.what();
        }
      } catch (...) {
        part.error = std::current_exception();
      }
    });
  }
  Part& first = *parts_.front();
  try {
    StreamStart start;
    start.copy_schema = tables_->schema();
    start.copy_table = tables_->table(0);
    first.result = RowStreamer(pipeline_, options_, connection_, first.rejects)
                       .stream(opened_.part(0, first.range.end), path_, file_id, start);
    if (!first.result.stopped_at_first_reject) {
      index_part_table(connection_, *tables_, 0);
    }
  } catch (...) {
    first.error = std::current_exception();
  }
  for (auto& part : parts_) {
    if (part->thread.joinable()) {
      part->thread.join();
    }
  }

  // A database error, a lost connection or a shutdown ends the load as it would with one
  // stream; anything about the file itself is left for the single stream to report exactly.
  for (auto& part : parts_) {
    if (!part->error) {
      continue;
    }
    try {
      std::rethrow_exception(part->error);
    } catch (const LoadCancelled&) {
      abandon();
      throw;
    } catch (const db::PgError&) {
      abandon();
      throw;
    } catch (const std::exception& error) {
      spdlog::info(
          "{}: part at line {} failed the file ({}); loading it with one stream to "
          "report exactly",
          path_.filename().string(), part->range.first_line, error.what());
      abandon();
      return std::nullopt;
    }
  }
  StreamResult total = first.result;
  std::uint64_t rejected = 0;
  bool stopped = false;
  for (std::size_t index = 0; index < parts_.size(); ++index) {
    const Part& part = *parts_[index];
    rejected += part.rejects.count();
    stopped = stopped || part.result.stopped_at_first_reject;
    if (index > 0 && !part.prepared && !part.result.stopped_at_first_reject) {
      spdlog::warn("{}: PREPARE TRANSACTION of part {} failed ({}); loading it with one stream",
                   path_.filename().string(), index, part.prepare_error);
      abandon();
      return std::nullopt;
    }
    if (index > 0) {
      total.rows_loaded += part.result.rows_loaded;
      total.data_lines += part.result.data_lines;
      total.rejected_lines += part.result.rejected_lines;
    }
  }
  if (stopped || (options_.on_error == OnRowError::kContinue && rejected > options_.max_rejects)) {
    abandon();
    return std::nullopt;
  }
  for (auto& part : parts_) {
    rejects.append(part->rejects);
  }
  total.copy_streams = parts_.size();
  return total;
}

void ParallelCopy::before_commit() {
  commit_started_ = true;
  kill_point_for_test("parts_prepared");
}

void ParallelCopy::after_commit() noexcept {
  kill_point_for_test("ledger_committed");
  for (std::size_t index = 1; index < parts_.size(); ++index) {
    Part& part = *parts_[index];
    if (!part.prepared) {
      continue;
    }
    try {
      connection_.exec("COMMIT PREPARED '" + prepared_part_name(database_, file_id_, index) + "'");
      part.prepared = false;
    } catch (const std::exception& error) {
      spdlog::error(
          "file id {}: COMMIT PREPARED of part {} failed ({}); the next start commits "
          "it, since the ledger says the file is loaded",
          file_id_, index, error.what());
    }
  }
  if (locked_ && connection_.is_open()) {
    try {
      unlock_live_load(connection_, file_id_);
    } catch (const std::exception& error) {
      spdlog::warn("file id {}: cannot release the load's lock: {}", file_id_, error.what());
    }
  }
  locked_ = false;
  parts_.clear();
  tables_.reset();  // They hold the file's rows now.
}

void ParallelCopy::abandon() noexcept {
  for (std::size_t index = 1; index < parts_.size(); ++index) {
    Part& part = *parts_[index];
    if (part.prepared && part.connection && part.connection->is_open()) {
      try {
        part.connection->exec("ROLLBACK PREPARED '" +
                              prepared_part_name(database_, file_id_, index) + "'");
        part.prepared = false;
      } catch (const std::exception& error) {
        spdlog::warn(
            "file id {}: ROLLBACK PREPARED of part {} failed ({}); the next start "
            "rolls it back",
            file_id_, index, error.what());
      }
    }
    // An unprepared part's transaction rolls back when its connection closes.
    part.connection.reset();
  }
  parts_.clear();
  if (locked_ && connection_.is_open()) {
    try {
      if (connection_.in_transaction() && !commit_started_) {
        connection_.exec(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
      }
      unlock_live_load(connection_, file_id_);
    } catch (const std::exception& error) {
      spdlog::warn("file id {}: cannot release the load's lock: {}", file_id_, error.what());
    }
  }
  locked_ = false;
  // Empty now: every transaction that wrote into them has ended (or, for part 0, rolled back
  // to the savepoint, which releases its locks).
  if (tables_) {
    drop_part_tables(options_.conninfo, *tables_);
    tables_.reset();
  }
}

}  // namespace dp::ingest
