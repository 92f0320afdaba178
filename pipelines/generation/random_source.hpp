#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <span>
#include <string_view>

namespace dp::pipelines::gen {

/// Mixes two 64-bit values into one well-spread value (the splitmix64 finaliser), so that an
/// entity's attributes can be derived from (seed, entity number) without storing anything.
constexpr std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Distributions written out by hand on top of any engine with `next()`: the std::
/// distributions may differ between library versions, and generated files must be the same
/// bytes for a seed everywhere.
template <typename Engine>
class Distributions {
 public:
  /// Uniform in [0, n); n must be positive. Lemire's multiply-shift with rejection: no bias.
  std::uint64_t below(std::uint64_t n) {
    unsigned __int128 product = static_cast<unsigned __int128>(engine().next()) * n;
    auto low = static_cast<std::uint64_t>(product);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        product = static_cast<unsigned __int128>(engine().next()) * n;
        low = static_cast<std::uint64_t>(product);
      }
    }
    return static_cast<std::uint64_t>(product >> 64);
  }
  /// Uniform in [low, high], both included.
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }
  /// Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(engine().next() >> 11) * 0x1.0p-53; }
  /// True with probability p.
  bool chance(double p) { return unit() < p; }
  /// Exponentially distributed with the given mean (waiting times between events).
  double exponential(double mean) { return -mean * std::log1p(-unit()); }
  /// An index in [0, n) concentrated on small values: floor(n * u^power). power 1 is uniform;
  /// larger powers give the heavy head that real popularity has (a few very busy users).
  std::uint64_t skewed(std::uint64_t n, double power) {
    const auto index = static_cast<std::uint64_t>(static_cast<double>(n) * std::pow(unit(), power));
    return index < n ? index : n - 1;
  }
  /// An index chosen with the given relative weights (at least one positive).
  std::size_t weighted(std::span<const std::uint32_t> weights) {
    std::uint64_t total = 0;
    for (const std::uint32_t weight : weights) {
      total += weight;
    }
    std::uint64_t point = below(total);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (point < weights[i]) {
        return i;
      }
      point -= weights[i];
    }
    return weights.size() - 1;
  }
  /// One element of a non-empty array, uniformly.
  template <typename Items>
  const auto& pick(const Items& items) {
    return items[below(std::size(items))];
  }

 private:
  Engine& engine() { return static_cast<Engine&>(*this); }
};

/// The main random stream of one generated file: std::mt19937_64, whose output sequence the
/// standard fixes exactly.
class Random : public Distributions<Random> {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

/// A tiny stream (splitmix64, 8 bytes of state) for one entity: an analyst's history, a case's
/// events. Cheap to create from mix(seed, id), and small enough to keep thousands in a heap.
class EntityRandom : public Distributions<EntityRandom> {
 public:
  explicit EntityRandom(std::uint64_t state) : state_(state) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// The state, to store an entity's stream compactly and resume it later.
  std::uint64_t state() const { return state_; }

 private:
  std::uint64_t state_;
};

/// A pseudo-random bijection of [0, n): a four-round Feistel network over the smallest even
/// number of bits that covers n, applied again while the result is n or more ("cycle walking").
/// Turns a running number into distinct, shuffled-looking ids or titles without storing a
/// shuffled list.
class Permutation {
 public:
  Permutation(std::uint64_t n, std::uint64_t seed);
  /// The image of i; i must be below n.
  std::uint64_t operator()(std::uint64_t i) const;
  std::uint64_t size() const { return n_; }

 private:
  std::uint64_t feistel(std::uint64_t x) const;

  std::uint64_t n_;
  int half_bits_ = 0;
  std::uint64_t half_mask_ = 0;
  std::uint64_t keys_[4] = {};
};

/// Seeds of the files of one request, distinct per file name, so that adding a file to a
/// subject does not change the bytes of the others.
std::uint64_t file_seed(std::uint64_t seed, std::string_view file_name);

}  // namespace dp::pipelines::gen
