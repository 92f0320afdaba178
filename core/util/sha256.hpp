#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace dp::util {

/// Incremental SHA-256 (OpenSSL EVP): the ledger and the migration runner identify content by
/// it, and files are hashed in chunks without holding them in memory.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  /// Lowercase hex digest; the object must not be updated afterwards.
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

/// SHA-256 of a whole string as lowercase hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace dp::util
