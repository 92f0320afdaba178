// The parser must rebuild packed inotify records from any split of the byte stream.

#include "core/watch/inotify_event_parser.hpp"

#include <sys/inotify.h>

#include <doctest/doctest.h>

#include <cstring>

namespace dp::watch {
namespace {

/// Appends one record the way the kernel packs it: header, name, NUL padding to `padded_len`.
void append_record(std::vector<char>& bytes, int wd, std::uint32_t mask, std::uint32_t cookie,
                   const std::string& name, std::uint32_t padded_len) {
  inotify_event header{};
  header.wd = wd;
  header.mask = mask;
  header.cookie = cookie;
  header.len = padded_len;
  const auto* raw = reinterpret_cast<const char*>(&header);
  bytes.insert(bytes.end(), raw, raw + sizeof(header));
  std::vector<char> name_bytes(padded_len, '\0');
  std::memcpy(name_bytes.data(), name.data(), std::min<std::size_t>(name.size(), padded_len));
  bytes.insert(bytes.end(), name_bytes.begin(), name_bytes.end());
}

std::vector<char> sample_stream() {
  std::vector<char> bytes;
  append_record(bytes, 1, IN_CREATE, 0, "sales.csv", 16);
  append_record(bytes, 1, IN_MOVED_FROM, 77, "a.part", 16);
  append_record(bytes, 1, IN_MOVED_TO, 77, "a-much-longer-file-name-than-sixteen.csv", 48);
  append_record(bytes, -1, IN_Q_OVERFLOW, 0, "", 0);
  append_record(bytes, 1, IN_CREATE | IN_ISDIR, 0, "subdir", 8);
  append_record(bytes, 1, IN_IGNORED, 0, "", 0);
  return bytes;
}

void check_sample(const std::vector<RawInotifyEvent>& events) {
  REQUIRE(events.size() == 6);
  CHECK(events[0].wd == 1);
  CHECK(events[0].mask == IN_CREATE);
  CHECK(events[0].name == "sales.csv");
  CHECK(events[1].cookie == 77);
  CHECK(events[1].name == "a.part");
  CHECK(events[2].mask == IN_MOVED_TO);
  CHECK(events[2].name == "a-much-longer-file-name-than-sixteen.csv");
  CHECK(events[3].wd == -1);
  CHECK(events[3].mask == IN_Q_OVERFLOW);
  CHECK(events[3].name.empty());
  CHECK(events[4].mask == (IN_CREATE | IN_ISDIR));
  CHECK(events[4].name == "subdir");
  CHECK(events[5].mask == IN_IGNORED);
}

TEST_CASE("records packed in one read are all returned in order") {
  InotifyEventParser parser;
  const auto bytes = sample_stream();
  check_sample(parser.feed(bytes));
  CHECK(parser.buffered_bytes() == 0);
}

TEST_CASE("records cut at every possible read boundary are rebuilt") {
  const auto bytes = sample_stream();
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    InotifyEventParser parser;
    auto events = parser.feed(std::span<const char>(bytes.data(), cut));
    auto rest = parser.feed(std::span<const char>(bytes.data() + cut, bytes.size() - cut));
    events.insert(events.end(), rest.begin(), rest.end());
    CAPTURE(cut);
    check_sample(events);
    CHECK(parser.buffered_bytes() == 0);
  }
}

TEST_CASE("records fed one byte at a time are rebuilt") {
  const auto bytes = sample_stream();
  InotifyEventParser parser;
  std::vector<RawInotifyEvent> events;
  for (const char byte : bytes) {
    auto got = parser.feed(std::span<const char>(&byte, 1));
    events.insert(events.end(), got.begin(), got.end());
  }
  check_sample(events);
}

TEST_CASE("a partial record stays buffered until completed") {
  const auto bytes = sample_stream();
  InotifyEventParser parser;
  CHECK(parser.feed(std::span<const char>(bytes.data(), sizeof(inotify_event) + 3)).empty());
  CHECK(parser.buffered_bytes() == sizeof(inotify_event) + 3);
}

}  // namespace
}  // namespace dp::watch
