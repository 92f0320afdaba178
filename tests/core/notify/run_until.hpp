#pragma once

#include <utility>

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

namespace dp::test {

/// Runs the notifier's io_context until `done` holds, at most `limit`: the notifier delivers on
/// the caller's io_context, so a test drives it in short slices and checks in between.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) {
      return true;
    }
    io.restart();
    io.run_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace dp::test
