#include "pipelines/generation/random_source.hpp"

namespace dp::pipelines::gen {

Permutation::Permutation(std::uint64_t n, std::uint64_t seed) : n_(n) {
  int bits = 2;
  while (bits < 64 && (std::uint64_t{1} << bits) < n) {
    bits += 2;
  }
  half_bits_ = bits / 2;
  half_mask_ = (std::uint64_t{1} << half_bits_) - 1;
  for (std::uint64_t round = 0; round < 4; ++round) {
    keys_[round] = mix(seed, round + 1);
  }
}

std::uint64_t Permutation::feistel(std::uint64_t x) const {
  std::uint64_t left = x >> half_bits_;
  std::uint64_t right = x & half_mask_;
  for (const std::uint64_t key : keys_) {
    const std::uint64_t next = left ^ (mix(key, right) & half_mask_);
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

std::uint64_t Permutation::operator()(std::uint64_t i) const {
  if (n_ <= 1) {
    return 0;
  }
  // The network permutes [0, 4^half_bits), which holds fewer than 4n values: a short walk.
  std::uint64_t x = feistel(i);
  while (x >= n_) {
    x = feistel(x);
  }
  return x;
}

std::uint64_t file_seed(std::uint64_t seed, std::string_view file_name) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;  // FNV-1a over the name, then mixed with the seed
  for (const char c : file_name) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  }
  return mix(seed, hash);
}

}  // namespace dp::pipelines::gen
