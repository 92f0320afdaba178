#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace dp::fuzz {

/// A broken invariant is a finding: print what broke and abort, so that libFuzzer keeps the
/// input as a crash and the corpus replay test fails on it.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
  }
}

/// Takes configuration bytes from the front of a fuzz input, leaving the rest as the payload;
/// a missing byte reads as 0, so that every seed file also works as a payload.
class InputBytes {
 public:
  InputBytes(const std::uint8_t* data, std::size_t size)
      : text_(reinterpret_cast<const char*>(data), size) {}

  /// The next configuration byte (0 once the input is used up).
  std::uint8_t take_byte() {
    if (text_.empty()) {
      return 0;
    }
    const auto byte = static_cast<std::uint8_t>(text_.front());
    text_.remove_prefix(1);
    return byte;
  }
  /// Everything not taken yet.
  std::string_view rest() const { return text_; }

 private:
  std::string_view text_;
};

}  // namespace dp::fuzz

/// The entry point every fuzz target defines; libFuzzer calls it, and so does the corpus replay.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
