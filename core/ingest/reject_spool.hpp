#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/csv/row_error.hpp"
#include "core/db/copy_sink.hpp"
#include "core/table/copy_row_writer.hpp"

namespace dp::ingest {

/// Collects a file's rejects in constant memory while its COPY is running (the connection is
/// busy until the COPY ends), spilling them to an anonymous temporary file in binary COPY form,
/// then streams them into ingest.rejects in the same transaction as the rows.
class RejectSpool {
 public:
  RejectSpool();
  ~RejectSpool();
  RejectSpool(const RejectSpool&) = delete;
  RejectSpool& operator=(const RejectSpool&) = delete;

  /// Records one reject; the first few are also kept in memory for reports.
  void add(const csv::RowError& error);
  std::uint64_t count() const { return count_; }
  /// The first rejects in file order (at most kKeptRejects).
  const std::vector<csv::RowError>& first() const { return first_; }
  /// Takes over the rejects of `later` (a later part of the same file read on its own), after
  /// this spool's own, so that counts, the first rejects and the ledger copy stay in file order.
  void append(RejectSpool& later);
  /// Streams every reject of `file_id` into ingest.rejects (file_id is only known then for
  /// failed files, so it is written here rather than in add()).
  void copy_into_ledger(db::LibpqConnection& connection, std::int64_t file_id,
                        std::uint64_t max_rows = UINT64_MAX);

 private:
  void spill();

  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::vector<csv::RowError> first_;
  std::uint64_t count_ = 0;
};

/// Makes arbitrary bytes storable as PostgreSQL text: valid UTF-8 is kept, invalid bytes and NUL
/// become `\xNN`, and the result is cut to `max_bytes` at a character boundary.
std::string printable_text(std::string_view bytes, std::size_t max_bytes);

}  // namespace dp::ingest
