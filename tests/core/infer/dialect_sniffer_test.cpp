// The dialect sniffer: DuckDB's rule (consistent field counts, then the most fields) over the
// delimiters , ; \t | and the quotes " and ', and the line ending it reports.
#include "core/infer/dialect_sniffer.hpp"

#include <doctest/doctest.h>

namespace dp::infer {

TEST_CASE("the delimiter that splits every record into the most fields wins") {
  CHECK(sniff_dialect("a,b,c\n1,2,3\n", false).delimiter == ',');
  CHECK(sniff_dialect("a;b;c\n1;2,5;3\n", false).delimiter == ';');
  CHECK(sniff_dialect("a\tb\n1\t2\n", false).delimiter == '\t');
  CHECK(sniff_dialect("a|b|c\nx,y|2|3\n", false).delimiter == '|');
  const auto dialect = sniff_dialect("a;b;c\n1;2;3\n4;5;6\n", false);
  CHECK(dialect.fields == 3);
  CHECK(dialect.records == 3);
  CHECK(dialect.consistent);
}

TEST_CASE("a consistent split beats one with more fields on some records") {
  // Commas inside the text: split on ',' the records disagree (3 and 4 fields); ';' is steady.
  const auto dialect = sniff_dialect("name;note\nx;a, b, c\ny;d, e\n", false);
  CHECK(dialect.delimiter == ';');
  CHECK(dialect.fields == 2);
}

TEST_CASE("a split on which most records agree beats no split at all") {
  const auto dialect = sniff_dialect("a,b\n1,2\n3\n4,5\n", false);
  CHECK(dialect.delimiter == ',');
  CHECK(dialect.fields == 2);
  CHECK_FALSE(dialect.consistent);
}

TEST_CASE("the quote that keeps quoted delimiters inside their field is chosen") {
  CHECK(sniff_dialect("a,b\n'x, y',2\n'z, w',3\n", false).quote == '\'');
  CHECK(sniff_dialect("a,b\n\"x, y\",2\n\"it's\",3\n", false).quote == '"');
  // No quote at all: the double quote, the first candidate.
  CHECK(sniff_dialect("a,b\n1,2\n", false).quote == '"');
}

TEST_CASE("a truncated sample ignores its cut last record") {
  const std::string sample = "a,b,c\n1,2,3\n4,5,\"six and";
  const auto dialect = sniff_dialect(sample, true);
  CHECK(dialect.delimiter == ',');
  CHECK(dialect.records == 2);
  CHECK(dialect.consistent);
}

TEST_CASE("line endings: LF, CRLF, a bare CR, a mixture, none") {
  CHECK(detect_line_ending("a\nb\n") == LineEnding::kLf);
  CHECK(detect_line_ending("a\r\nb\r\n") == LineEnding::kCrLf);
  CHECK(detect_line_ending("a\rb\r1") == LineEnding::kCr);
  CHECK(detect_line_ending("a\r\nb\n") == LineEnding::kMixed);
  CHECK(detect_line_ending("a,b") == LineEnding::kNone);
  CHECK(describe(LineEnding::kCrLf) == "CRLF (\\r\\n)");
}

}  // namespace dp::infer
