#include "core/infer/dialect_sniffer.hpp"

#include <map>
#include <memory>

#include "core/csv/csv_reader.hpp"
#include "core/csv/input_source.hpp"

namespace dp::infer {
namespace {

/// How one candidate splits the sample.
struct CandidateScore {
  bool readable = true;
  std::size_t records = 0;
  std::size_t modal_fields = 0;
  std::size_t modal_records = 0;
};

CandidateScore score(std::string_view sample, bool truncated, char delimiter, char quote) {
  csv::CsvReaderOptions options;
  options.delimiter = delimiter;
  options.quote = quote;
  csv::CsvReader reader(std::make_unique<csv::MemorySource>(std::string(sample)), options);
  std::vector<std::size_t> counts;
  CandidateScore result;
  csv::CsvRow row;
  csv::RowError error;
  bool cut_record_seen = false;
  for (;;) {
    const auto status = reader.next(row, error);
    if (status == csv::ReadStatus::kEnd) {
      break;
    }
    if (status == csv::ReadStatus::kError) {
      // A quote left open by the cut at the end of a truncated sample says nothing.
      cut_record_seen = truncated && error.kind == csv::RowErrorKind::kUnterminatedQuote;
      result.readable = cut_record_seen;
      break;
    }
    counts.push_back(row.fields.size());
  }
  if (truncated && !cut_record_seen && !counts.empty()) {
    counts.pop_back();  // the last record of a cut sample may be incomplete
  }
  std::map<std::size_t, std::size_t> frequency;
  for (const auto count : counts) {
    ++frequency[count];
  }
  for (const auto& [fields, records] : frequency) {
    if (records > result.modal_records ||
        (records == result.modal_records && fields > result.modal_fields)) {
      result.modal_fields = fields;
      result.modal_records = records;
    }
  }
  result.records = counts.size();
  return result;
}

/// Readable candidates first; then those that split the records at all (one field everywhere
/// is what every absent delimiter gives); then consistent ones (every record the same number
/// of fields), of which the one with the most fields; else the one with the largest share of
/// records agreeing, then the most fields.
bool better(const CandidateScore& a, const CandidateScore& b) {
  if (a.readable != b.readable) {
    return a.readable;
  }
  const bool a_splits = a.modal_fields > 1;
  const bool b_splits = b.modal_fields > 1;
  if (a_splits != b_splits) {
    return a_splits;
  }
  const bool a_consistent = a.records > 0 && a.modal_records == a.records;
  const bool b_consistent = b.records > 0 && b.modal_records == b.records;
  if (a_consistent != b_consistent) {
    return a_consistent;
  }
  if (a_consistent) {
    return a.modal_fields > b.modal_fields;
  }
  const auto a_share = a.modal_records * b.records;
  const auto b_share = b.modal_records * a.records;
  return a_share > b_share || (a_share == b_share && a.modal_fields > b.modal_fields);
}

}  // namespace

Dialect sniff_dialect(std::string_view sample, bool truncated) {
  Dialect best;
  CandidateScore best_score;
  best_score.readable = false;
  bool first = true;
  for (const char quote : kCandidateQuotes) {
    for (const char delimiter : kCandidateDelimiters) {
      const auto candidate = score(sample, truncated, delimiter, quote);
      if (first || better(candidate, best_score)) {
        first = false;
        best_score = candidate;
        best.delimiter = delimiter;
        best.quote = quote;
      }
    }
  }
  best.records = best_score.records;
  best.fields = best_score.modal_fields;
  best.consistent = best_score.modal_records == best_score.records;
  best.line_ending = detect_line_ending(sample);
  return best;
}

LineEnding detect_line_ending(std::string_view sample) {
  std::size_t lf = 0;
  std::size_t crlf = 0;
  std::size_t cr = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    if (sample[i] == '\r') {
      if (i + 1 < sample.size() && sample[i + 1] == '\n') {
        ++crlf;
        ++i;
      } else if (i + 1 < sample.size()) {
        ++cr;  // a CR as the very last byte of a cut sample is undecided
      }
    } else if (sample[i] == '\n') {
      ++lf;
    }
  }
  const int kinds = (lf > 0 ? 1 : 0) + (crlf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  if (kinds == 0) {
    return LineEnding::kNone;
  }
  if (kinds > 1) {
    return LineEnding::kMixed;
  }
  return lf > 0 ? LineEnding::kLf : crlf > 0 ? LineEnding::kCrLf : LineEnding::kCr;
}

std::string describe(LineEnding ending) {
  switch (ending) {
    case LineEnding::kNone:
      return "none (a single line without a line break)";
    case LineEnding::kLf:
      return "LF (\\n)";
    case LineEnding::kCrLf:
      return "CRLF (\\r\\n)";
    case LineEnding::kCr:
      return "CR (\\r) only: the reader splits records on LF, convert the file first";
    case LineEnding::kMixed:
      return "mixed (LF and CRLF each end a record; a bare CR does not)";
  }
  return "?";
}

}  // namespace dp::infer
