#include "core/ingest/file_loader.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <future>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"
#include "core/csv/utf8.hpp"
#include "core/db/copy_sink.hpp"
#include "core/db/ledger.hpp"
#include "core/db/pg_error.hpp"
#include "core/ingest/dispatcher.hpp"
#include "core/ingest/opened_file.hpp"
#include "core/ingest/parallel_copy.hpp"
#include "core/ingest/reject_spool.hpp"
#include "core/ingest/row_streamer.hpp"
#include "core/table/copy_row_writer.hpp"
#include "core/table/ddl.hpp"

namespace dp::ingest {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Rejects of a failed file kept in ingest.rejects: enough to diagnose, bounded for huge files.
constexpr std::uint64_t kFailedFileRejects = 1000;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A full load replaces earlier trial loads (`--limit`) of the same content: their rows leave
/// staging in the same transaction, so staging holds each row of the file exactly once.
void supersede_trials(db::LibpqConnection& connection, db::Ledger& ledger,
                      const std::string& sha256, const std::string& staging_schema,
                      const table::TableModel& model, std::int64_t file_id) {
  const auto trials = ledger.supersede_trials(sha256, file_id);
  if (trials.empty()) {
    return;
  }
  const auto ids = fmt::format("{}", fmt::join(trials, ","));
  connection.exec_params("DELETE FROM " + table::quote_identifier(staging_schema) + "." +
                             table::quote_identifier(model.table) +
                             " WHERE file_id = ANY($1::bigint[])",
                         {"{" + ids + "}"});
  spdlog::info("file {} supersedes trial load(s) {} of the same content", file_id, ids);
}

std::string too_many_rejects(const StreamResult& result, std::uint64_t rejected,
                             const LoadOptions& options) {
  if (rejected == 0) {
    return {};
  }
  if (options.on_error == OnRowError::kSkipFile) {
    return "a row was rejected and on_error = skip_file";
  }
  const double total = static_cast<double>(std::max<std::uint64_t>(result.data_lines, 1));
  const double ratio = static_cast<double>(result.rejected_lines) / total;
  if (ratio > options.max_reject_ratio) {
    return fmt::format(
        "{} rows rejected, spanning {} of {} lines ({:.1f}%), above max_reject_ratio {:.1f}%",
        rejected, result.rejected_lines, result.data_lines, ratio * 100,
        options.max_reject_ratio * 100);
  }
  return {};
}

}  // namespace

const char* to_string(LoadStatus status) {
  switch (status) {
    case LoadStatus::kLoaded:
      return "loaded";
    case LoadStatus::kDuplicate:
      return "duplicate";
    case LoadStatus::kFailed:
      return "failed";
    case LoadStatus::kQuarantined:
      return "quarantined";
  }
  return "unknown";
}

std::string logical_file_name(const fs::path& path) {
  auto name = path.filename().string();
  if (name.size() > 3) {
    auto suffix = name.substr(name.size() - 3);
    for (auto& c : suffix) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (suffix == ".gz") {
      name.resize(name.size() - 3);
    }
  }
  return name;
}

std::string display_name(const fs::path& path) {
  return csv::escape_invalid_utf8(path.filename().string());
}

FileLoader::FileLoader(const pipeline::PipelineRegistry& registry, LoadOptions options)
    : FileLoader(pipeline::ActiveRegistry::fixed(registry), std::move(options)) {}

FileLoader::FileLoader(std::shared_ptr<const pipeline::ActiveRegistry> kinds, LoadOptions options)
    : kinds_(std::move(kinds)), options_(std::move(options)) {}

LoadOutcome FileLoader::load(db::LibpqConnection& connection, const fs::path& path,
                             const FileClaim* claim) const {
  const auto started = Clock::now();
  LoadOutcome outcome;
  outcome.path = path;
  db::LedgerFile file;
  file.original_name = path.filename().string();

  std::unique_ptr<OpenedFile> opened;
  try {
    opened = std::make_unique<OpenedFile>(path);
  } catch (const NotRegularFile& error) {
    outcome.identity = watch::lstat_file(path);
    outcome.error = error.what();
    if (!options_.dry_run) {
      db::LibpqTransaction transaction(connection);
      outcome.file_id = db::Ledger(connection).record_failure(file, outcome.error, 0);
      transaction.commit();
    }
    outcome.status = LoadStatus::kQuarantined;
    outcome.seconds = seconds_since(started);
    return outcome;
  }
  outcome.identity = opened->identity();
  if (claim != nullptr && !claim->covers(opened->identity())) {
    throw FileUnavailable("changed_while_loading", display_name(path) +
                                                       " was replaced after it was claimed; it is "
                                                       "claimed again once it has settled");
  }
  file.size_bytes = opened->identity().size;
  outcome.size_bytes = file.size_bytes;
  // A big file is hashed on a thread of its own while its rows stream, since hashing first
  // made every big load wait: 0.18 s of a 2.2 s load of 174 MiB, one core busy and the other
  // idle (strace timeline, issue 14). Its ledger row, the duplicate check and the content lock
  // then come after the rows, before the commit; a duplicate's rows are rolled back.
  const bool hash_beside_rows = hashes_beside_rows(options_, file.size_bytes);
  std::future<std::string> hashing;
  std::exception_ptr hash_error;
  if (hash_beside_rows) {
    hashing = std::async(std::launch::async, [&] { return opened->sha256(options_.cancel); });
  } else {
    file.sha256 = opened->sha256(options_.cancel);
  }
  // Waits for the hash when it is still being computed; a failure to read the file escapes
  // the load as it does when the file is hashed first.
  const auto hash_known = [&] {
    if (hash_error) {
      std::rethrow_exception(hash_error);
    }
    if (hashing.valid()) {
      try {
        file.sha256 = hashing.get();
      } catch (...) {
        hash_error = std::current_exception();
        throw;
      }
    }
    outcome.sha256 = file.sha256;
  };
  if (!hash_beside_rows) {
    hash_known();
  }
  // The file must still be what was hashed whenever something is recorded about it.
  const auto ensure_unchanged = [&] {
    if (opened->changed()) {
      throw FileUnavailable("changed_while_loading",
                            display_name(path) +
                                " changed while loading; rolled back, it is loaded once it "
                                "has settled again");
    }
  };

  auto finish = [&](LoadStatus status) {
    outcome.status = status;
    outcome.seconds = seconds_since(started);
    return outcome;
  };
  auto record_failure = [&](const std::string& reason, RejectSpool* rejects, LoadStatus status) {
    outcome.error = reason;
    hash_known();
    ensure_unchanged();
    if (!options_.dry_run) {
      db::LibpqTransaction transaction(connection);
      outcome.file_id = db::Ledger(connection).record_failure(file, reason, outcome.rows_rejected);
      if (rejects != nullptr) {
        rejects->copy_into_ledger(connection, outcome.file_id, kFailedFileRejects);
      }
      transaction.commit();
    }
    return finish(status);
  };

  ensure_unchanged();
  // Held until the load ends: a re-read of the kinds cannot pull this file's kind away.
  const auto registry = kinds_->current();
  const auto chosen = dispatch(*registry, path, [&] { return opened->input(); });
  if (chosen.pipeline == nullptr) {
    return record_failure(chosen.reason, nullptr, LoadStatus::kQuarantined);
  }
  const auto& pipeline = *chosen.pipeline;
  file.pipeline = std::string(pipeline.name());
  outcome.pipeline = file.pipeline;

  RejectSpool rejects;
  std::string failure;
  try {
    db::LibpqTransaction transaction(connection);
    db::Ledger ledger(connection);
    // Returns the earlier load of the same content, holding the content lock from here on.
    const auto earlier_load = [&] {
      ledger.lock_content(file.sha256);
      return ledger.find_loaded(file.sha256);
    };
    const auto record_duplicate = [&](std::int64_t earlier, db::LibpqTransaction& recording) {
      outcome.duplicate_of = earlier;
      ensure_unchanged();
      if (!options_.dry_run) {
        outcome.file_id = ledger.record_duplicate(file, earlier);
        recording.commit();
      }
      return finish(LoadStatus::kDuplicate);
    };
    if (!hash_beside_rows) {
      if (const auto earlier = earlier_load()) {
        return record_duplicate(*earlier, transaction);
      }
      outcome.file_id = options_.dry_run ? 0 : ledger.begin_load(file);
    } else {
      outcome.file_id = ledger.reserve_file_id();
    }
    std::optional<ParallelCopy> parallel;
    std::optional<StreamResult> in_parts;
    if (wants_parallel_copy(options_, file.size_bytes)) {
      in_parts = parallel.emplace(pipeline, options_, connection, *opened, path)
                     .stream(outcome.file_id, rejects);
      if (!in_parts) {
        parallel.reset();
      }
    }
    const auto streamed = in_parts ? *in_parts
                                   : RowStreamer(pipeline, options_, connection, rejects)
                                         .stream(opened->input(), path, outcome.file_id);
    if (hash_beside_rows) {
      hash_known();
      if (const auto earlier = earlier_load()) {
        // The streamed rows go (parts and this connection's); the reserved id stays unused.
        parallel.reset();
        transaction.rollback();
        db::LibpqTransaction recording(connection);
        if (const auto still_loaded = earlier_load()) {
          return record_duplicate(*still_loaded, recording);
        }
        throw RetryLater("the earlier load of the same content was removed meanwhile");
      }
      ledger.begin_load(file, outcome.file_id);
    }
    outcome.rows_rejected = rejects.count();
    outcome.first_rejects = rejects.first();
    outcome.warnings = streamed.warnings;
    outcome.copy_streams = streamed.copy_streams;
    failure = too_many_rejects(streamed, rejects.count(), options_);
    if (failure.empty()) {
      outcome.rows_loaded = streamed.rows_loaded;
      if (options_.dry_run) {
        ensure_unchanged();
        transaction.rollback();
        return finish(LoadStatus::kLoaded);
      }
      rejects.copy_into_ledger(connection, outcome.file_id);
      if (options_.row_limit) {
        ledger.finish_trial(outcome.file_id, streamed.rows_loaded, rejects.count(),
                            *options_.row_limit);
      } else {
        ledger.finish_load(outcome.file_id, streamed.rows_loaded, rejects.count());
        supersede_trials(connection, ledger, file.sha256, options_.staging_schema,
                         pipeline.staging_model(), outcome.file_id);
      }
      ensure_unchanged();
      if (parallel) {
        parallel->before_commit();
      }
      transaction.commit();
      if (parallel) {
        parallel->after_commit();
      }
      return finish(LoadStatus::kLoaded);
    }
  } catch (const pipeline::FileRejected& error) {
    failure = error.what();
  } catch (const FileFailure& error) {
    failure = error.what();
  } catch (const csv::InputError& error) {
    failure = error.what();
  } catch (const db::PgError& error) {
    if (options_.cancel != nullptr && options_.cancel->load()) {
      throw LoadCancelled("load of " + path.filename().string() + " cancelled by shutdown (" +
                          error.what() + ")");
    }
    switch (db::classify_exception(error)) {
      case db::ErrorClass::kRetry:
        throw RetryLater(error.what());
      case db::ErrorClass::kFailFile:
        failure = std::string("the database refused the rows: ") + error.what();
        break;
      case db::ErrorClass::kFatal:
        throw;
    }
  }
  outcome.rows_loaded = 0;
  outcome.rows_rejected = rejects.count();
  outcome.first_rejects = rejects.first();
  return record_failure(failure, &rejects, LoadStatus::kFailed);
}

}  // namespace dp::ingest
