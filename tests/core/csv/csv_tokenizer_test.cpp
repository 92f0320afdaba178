#include "core/csv/csv_tokenizer.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace dp::csv {
namespace {

using Fields = std::vector<std::string>;

/// Text with the readable slack the tokenizer may read past its end (filled with bytes that
/// would change every answer if they were taken as data).
class Padded {
 public:
  explicit Padded(std::string_view text) : bytes_(text) {
    bytes_.append(CsvTokenizer::kPadding, '\n');
  }
  std::string_view view() const { return {bytes_.data(), bytes_.size() - CsvTokenizer::kPadding}; }

 private:
  std::string bytes_;
};

/// Where the record ends (offset of its LF, or npos) when fed in one piece.
std::size_t record_end(CsvTokenizer& tokenizer, std::string_view unpadded) {
  const Padded padded(unpadded);
  const std::string_view text = padded.view();
  tokenizer.start_record();
  const char* end = tokenizer.find_record_end(text.data(), text.data() + text.size());
  return end == nullptr ? std::string_view::npos : static_cast<std::size_t>(end - text.data());
}

Fields to_strings(const FieldList& fields) {
  return Fields(fields.view().begin(), fields.view().end());
}

Fields split(const CsvTokenizer& tokenizer, std::string_view record, bool has_quote) {
  const Padded padded(record);
  FieldList fields;
  std::string scratch;
  tokenizer.split(padded.view(), has_quote, fields, scratch);
  return to_strings(fields);
}

TEST_CASE("find_record_end: LF outside quotes ends the record, inside quotes it is data") {
  CsvTokenizer tokenizer(',', '"');
  CHECK(record_end(tokenizer, "a,b\nc") == 3);
  CHECK_FALSE(tokenizer.saw_quote());
  CHECK(record_end(tokenizer, "a,\"b\nc\"\nd") == 7);
  CHECK(tokenizer.saw_quote());
  CHECK(tokenizer.quoted_newlines() == 1);
  CHECK(record_end(tokenizer, "\"x\"\"\n\"\"y\"\nz") == 9);
  CHECK(tokenizer.quoted_newlines() == 1);
  CHECK(record_end(tokenizer, "ab\"c\nd") == 4);  // a quote inside an unquoted field is data
  CHECK(record_end(tokenizer, "\"open\nstill open") == std::string_view::npos);
  CHECK(tokenizer.state() == TokenizerState::kQuoted);
  CHECK(record_end(tokenizer, "\"closed\"") == std::string_view::npos);
  CHECK(tokenizer.state() == TokenizerState::kQuoteInQuoted);
  CHECK(record_end(tokenizer, "a,") == std::string_view::npos);
  CHECK(tokenizer.state() == TokenizerState::kFieldStart);
  CHECK(record_end(tokenizer, "a,b") == std::string_view::npos);
  CHECK(tokenizer.state() == TokenizerState::kUnquoted);
}

TEST_CASE("find_record_end resumes at any cut point with the same answer") {
  const std::vector<std::string> records = {
      "plain,fields,only\n", "\"q\",\"w,x\",\"y\"\"z\"\n", "a,\"multi\r\nline\n\",b\n",
      "\"\"\"\",\"\"\n",     "x\"y,\"z\"\"\"\n",           "\"a\"\"\n\"\"b\"\n",
  };
  CsvTokenizer tokenizer(',', '"');
  for (const auto& unpadded : records) {
    CAPTURE(unpadded);
    const Padded padded(unpadded);
    const std::string_view record = padded.view();
    const std::size_t whole = record_end(tokenizer, record);
    const auto newlines = tokenizer.quoted_newlines();
    REQUIRE(whole == record.size() - 1);
    for (std::size_t cut = 0; cut <= record.size(); ++cut) {
      CAPTURE(cut);
      tokenizer.start_record();
      const char* begin = record.data();
      const char* found = tokenizer.find_record_end(begin, begin + cut);
      if (found == nullptr) {
        found = tokenizer.find_record_end(begin + cut, begin + record.size());
      }
      REQUIRE(found != nullptr);
      CHECK(static_cast<std::size_t>(found - begin) == whole);
      CHECK(tokenizer.quoted_newlines() == newlines);
    }
  }
}

TEST_CASE("split: fields without quotes point into the record") {
  CsvTokenizer tokenizer(',', '"');
  const Padded padded("478,8,2024-07-30T23:27:05Z,TAJD-2024-2023");
  const std::string_view record = padded.view();
  FieldList views;
  std::string scratch;
  tokenizer.split(record, false, views, scratch);
  REQUIRE(views.size() == 4);
  CHECK(views[0] == "478");
  CHECK(views[3] == "TAJD-2024-2023");
  CHECK(views[3].data() == record.data() + 27);
  CHECK(split(tokenizer, "", false) == Fields{""});
  CHECK(split(tokenizer, ",,", false) == Fields{"", "", ""});
}

TEST_CASE("split: quoted fields are unquoted and unescaped") {
  CsvTokenizer tokenizer(',', '"');
  CHECK(split(tokenizer, "\"a,b\",\"c\"\"d\",e", true) == Fields{"a,b", "c\"d", "e"});
  CHECK(split(tokenizer, "\"\",\"\"\"\"", true) == Fields{"", "\""});
  CHECK(split(tokenizer, "\"line\r\nbreak\"", true) == Fields{"line\r\nbreak"});
  CHECK(split(tokenizer, "ab\"c,\"x\"y", true) == Fields{"ab\"c", "xy"});
  CHECK(split(tokenizer, "\"a\",", true) == Fields{"a", ""});
}

TEST_CASE("split: a tab delimiter and a single-quote quote char") {
  CsvTokenizer tokenizer('\t', '\'');
  CHECK(split(tokenizer, "a\t'b\tc'\t'it''s'", true) == Fields{"a", "b\tc", "it's"});
  CHECK(split(tokenizer, "x,y\t\"z\"", false) == Fields{"x,y", "\"z\""});
}

TEST_CASE("split: views into the scratch survive later fields of the same record") {
  CsvTokenizer tokenizer(',', '"');
  std::string record;
  for (int i = 0; i < 200; ++i) {
    record += "\"field " + std::to_string(i) + "\",";
  }
  record += "\"last\"";
  FieldList views;
  std::string scratch = "short";
  const Padded padded(record);
  tokenizer.split(padded.view(), true, views, scratch);
  REQUIRE(views.size() == 201);
  CHECK(views[0] == "field 0");
  CHECK(views[199] == "field 199");
  CHECK(views[200] == "last");
}

/// scan_plain on `text`, with the padding it may read past the end.
bool scan(const CsvTokenizer& tokenizer, std::string_view text, FieldList& fields,
          PlainRecord& record) {
  static std::string padded;  // static: the views must outlive this call
  padded.assign(text);
  padded.append(CsvTokenizer::kPadding, '\0');
  return tokenizer.scan_plain(padded.data(), padded.data() + text.size(), fields, record);
}

TEST_CASE("scan_plain: a complete record without quotes in one pass") {
  CsvTokenizer tokenizer(',', '"');
  FieldList fields;
  PlainRecord record;
  REQUIRE(scan(tokenizer, "478,8,2024-07-30T23:27:05Z,TAJD-2024-2023\nnext,row\n", fields, record));
  CHECK(to_strings(fields) == Fields{"478", "8", "2024-07-30T23:27:05Z", "TAJD-2024-2023"});
  CHECK(record.raw == "478,8,2024-07-30T23:27:05Z,TAJD-2024-2023");
  CHECK(*record.line_feed == '\n');
  CHECK_FALSE(record.has_suspect_bytes);

  REQUIRE(scan(tokenizer, "a,b,\r\n", fields, record));
  CHECK(to_strings(fields) == Fields{"a", "b", ""});
  CHECK(record.raw == "a,b,");
  REQUIRE(scan(tokenizer, "x\ry\r\n", fields, record));
  CHECK(to_strings(fields) == Fields{"x\ry"});
  REQUIRE(scan(tokenizer, "\n", fields, record));
  CHECK(record.raw.empty());
  REQUIRE(scan(tokenizer, "caf\xc3\xa9,1\n", fields, record));
  CHECK(record.has_suspect_bytes);
  REQUIRE(scan(tokenizer, std::string("a\0b\n", 4), fields, record));
  CHECK(record.has_suspect_bytes);
}

TEST_CASE("scan_plain: long records cross many blocks, fields land at every block position") {
  CsvTokenizer tokenizer(';', '\'');
  for (std::size_t width = 0; width < 40; ++width) {
    CAPTURE(width);
    Fields expected;
    std::string text;
    for (int i = 0; i < 9; ++i) {
      expected.push_back(std::string(width + static_cast<std::size_t>(i) % 3, 'a' + i));
      text += (i > 0 ? ";" : "") + expected.back();
    }
    FieldList fields;
    PlainRecord record;
    REQUIRE(scan(tokenizer, text + "\n\xff;x", fields, record));
    CHECK(to_strings(fields) == expected);
    CHECK(record.raw == text);
    CHECK_FALSE(record.has_suspect_bytes);  // the \xff belongs to the next record
  }
}

TEST_CASE("scan_plain leaves quotes and incomplete records to the general path") {
  CsvTokenizer tokenizer(',', '"');
  FieldList fields;
  PlainRecord record;
  CHECK_FALSE(scan(tokenizer, "a,\"b\"\n", fields, record));
  CHECK_FALSE(scan(tokenizer, "no line feed yet", fields, record));
  CHECK_FALSE(scan(tokenizer, "", fields, record));
  // A quote after the LF belongs to the next record.
  REQUIRE(scan(tokenizer, "a,b\n\"c\"\n", fields, record));
  CHECK(to_strings(fields) == Fields{"a", "b"});
}

TEST_CASE("FieldList grows past its first slots and is reused") {
  CsvTokenizer tokenizer(',', '"');
  FieldList fields;
  std::string scratch;
  const Padded many(std::string(99, ','));
  tokenizer.split(many.view(), false, fields, scratch);
  CHECK(fields.size() == 100);
  const Padded short_record("x,y");
  tokenizer.split(short_record.view(), false, fields, scratch);
  CHECK(to_strings(fields) == Fields{"x", "y"});
}

/// The RFC 4180 rules one byte at a time: the definition the block-based code must meet.
Fields reference_split(std::string_view record, char delimiter, char quote) {
  Fields fields(1);
  TokenizerState state = TokenizerState::kFieldStart;
  for (const char byte : record) {
    const bool in_quotes = state == TokenizerState::kQuoted;
    if (byte == quote) {
      if (state == TokenizerState::kFieldStart) {
        state = TokenizerState::kQuoted;
      } else if (in_quotes) {
        state = TokenizerState::kQuoteInQuoted;
      } else {
        fields.back() += byte;
        if (state == TokenizerState::kQuoteInQuoted) {
          state = TokenizerState::kQuoted;
        }
      }
    } else if (byte == delimiter && !in_quotes) {
      fields.emplace_back();
      state = TokenizerState::kFieldStart;
    } else {
      fields.back() += byte;
      if (state == TokenizerState::kFieldStart || state == TokenizerState::kQuoteInQuoted) {
        state = TokenizerState::kUnquoted;
      }
    }
  }
  return fields;
}

TEST_CASE("random records: block-based split and record end agree with the byte-at-a-time rules") {
  std::mt19937_64 random(11);
  const std::string alphabet = "ab,\"\"\n\r x";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 70);
  CsvTokenizer tokenizer(',', '"');
  for (int round = 0; round < 20000; ++round) {
    std::string record;
    for (int i = length(random); i > 0; --i) {
      record += alphabet[pick(random)];
    }
    CAPTURE(record);
    // Where the byte rules end the record: the first LF outside quotes.
    std::size_t expected_end = std::string::npos;
    std::uint64_t expected_newlines = 0;
    TokenizerState state = TokenizerState::kFieldStart;
    for (std::size_t i = 0; i < record.size() && expected_end == std::string::npos; ++i) {
      const char byte = record[i];
      if (byte == '\n' && state != TokenizerState::kQuoted) {
        expected_end = i;
      } else if (byte == '\n') {
        ++expected_newlines;
      } else if (byte == '"') {
        state = state == TokenizerState::kUnquoted ? TokenizerState::kUnquoted
                : state == TokenizerState::kQuoted ? TokenizerState::kQuoteInQuoted
                                                   : TokenizerState::kQuoted;
      } else {
        state = byte == ',' && state != TokenizerState::kQuoted ? TokenizerState::kFieldStart
                : state == TokenizerState::kQuoted              ? TokenizerState::kQuoted
                                                                : TokenizerState::kUnquoted;
      }
    }
    CHECK(record_end(tokenizer, record) == expected_end);
    CHECK(tokenizer.quoted_newlines() == expected_newlines);
    const std::string complete = record.substr(0, expected_end);
    CHECK(split(tokenizer, complete, true) == reference_split(complete, ',', '"'));
  }
}

}  // namespace
}  // namespace dp::csv
