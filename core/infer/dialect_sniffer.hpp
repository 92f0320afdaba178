#pragma once

#include <string>
#include <string_view>

namespace dp::infer {

/// How the records of a sample end, reported to the user (the reader accepts LF and CRLF).
enum class LineEnding { kNone, kLf, kCrLf, kCr, kMixed };

/// The punctuation of a CSV file, as the drafted kind declares it.
struct Dialect {
  char delimiter = ',';
  char quote = '"';
  LineEnding line_ending = LineEnding::kNone;
  /// Records the winning candidate split the sample into (complete records only).
  std::size_t records = 0;
  /// Fields per record under the winning candidate (the most common count).
  std::size_t fields = 0;
  /// Whether every sampled record has `fields` fields.
  bool consistent = true;
};

/// The delimiters tried, in order of preference on a tie (DuckDB's candidates).
inline constexpr std::string_view kCandidateDelimiters = ",;\t|";
/// The quotes tried, in order of preference on a tie.
inline constexpr std::string_view kCandidateQuotes = "\"'";

/// Picks delimiter and quote the way DuckDB's sniffer documents it: the candidate whose records
/// all have the same number of fields, and of those the one with the most fields; ties go to the
/// earlier candidate. `truncated` says that `sample` is a prefix of the file, so its last record
/// may be cut and is ignored.
Dialect sniff_dialect(std::string_view sample, bool truncated);

/// LF, CRLF, bare CR or a mixture, from the line breaks of the sample.
LineEnding detect_line_ending(std::string_view sample);

/// "LF (\n)", "CRLF (\r\n)", ... for the draft's comment.
std::string describe(LineEnding ending);

}  // namespace dp::infer
