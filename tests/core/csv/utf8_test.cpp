#include "core/csv/utf8.hpp"

#include <doctest/doctest.h>

#include <string>

namespace dp::csv {
namespace {

TEST_CASE("well-formed UTF-8 of every length is valid") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii, long enough to take the sixteen byte path twice over"));
  CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
  CHECK(is_valid_utf8("\xed\x9f\xbf"));                    // U+D7FF, just below the surrogates
  CHECK(is_valid_utf8("\xee\x80\x80"));                    // U+E000, just above them
  CHECK(is_valid_utf8(std::string(1, '\0')));              // NUL is valid UTF-8 ...
  CHECK(find_invalid_text(std::string("ab\0c", 4)) == 2);  // ... but not storable text
}

TEST_CASE("ill-formed sequences are found at their first byte") {
  CHECK(find_invalid_utf8("abc\xff") == 3);
  CHECK(find_invalid_utf8("\x80") == 0);                       // lone continuation
  CHECK(find_invalid_utf8("a\xc0\xaf") == 1);                  // overlong '/'
  CHECK(find_invalid_utf8("\xc1\xbf") == 0);                   // overlong
  CHECK(find_invalid_utf8("\xe0\x80\xaf") == 0);               // overlong 3-byte
  CHECK(find_invalid_utf8("\xf0\x80\x80\xaf") == 0);           // overlong 4-byte
  CHECK(find_invalid_utf8("xx\xed\xa0\x80") == 2);             // surrogate U+D800
  CHECK(find_invalid_utf8("\xf4\x90\x80\x80") == 0);           // above U+10FFFF
  CHECK(find_invalid_utf8("\xf5\x80\x80\x80") == 0);           // lead byte never used
  CHECK(find_invalid_utf8("ok\xe2\x82") == 2);                 // truncated at the end
  CHECK(find_invalid_utf8("\xe2\x82x") == 0);                  // continuation missing
  CHECK(find_invalid_utf8("0123456789abcdef0123\xc3") == 20);  // after the word fast path
  CHECK(find_invalid_utf8("0123456789abcdef\xc3\xa9") == kNoUtf8Error);
}

TEST_CASE("escape_invalid_utf8 makes any bytes storable and leaves valid text alone") {
  CHECK(escape_invalid_utf8("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(escape_invalid_utf8("a\xff"
                            "b\xc3") == "a\\xFFb\\xC3");
  CHECK(escape_invalid_utf8(std::string("x\0y", 3)) == "x\\x00y");
}

TEST_CASE("truncate_utf8 never splits a character") {
  CHECK(truncate_utf8("abc", 10) == "abc");
  CHECK(truncate_utf8("abcdef", 3) == "abc");
  CHECK(truncate_utf8("ab\xe2\x82\xac", 3) == "ab");
  CHECK(truncate_utf8("ab\xe2\x82\xac", 4) == "ab");
  CHECK(truncate_utf8("ab\xe2\x82\xac", 5) == "ab\xe2\x82\xac");
}

}  // namespace
}  // namespace dp::csv
