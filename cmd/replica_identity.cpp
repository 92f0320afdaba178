#include "cmd/replica_identity.hpp"

#include <unistd.h>

#include <array>
#include <cctype>

namespace dp::cmd {

std::string replica_id_of(const config::Settings& settings) {
  if (!settings.replica_id.empty()) {
    return settings.replica_id;
  }
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) {
    host = {};
  }
  std::string name(host.data());
  for (auto& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '_' && c != '-') {
      c = '_';
    }
  }
  name.resize(std::min<std::size_t>(name.size(), 40));
  return (name.empty() ? std::string("host") : name) + "-" + std::to_string(::getpid());
}

db::SessionOptions session_options_of(const config::Settings& settings) {
  db::SessionOptions options;
  options.replica_id = replica_id_of(settings);
  options.dead_peer_timeout =
      std::chrono::duration_cast<std::chrono::seconds>(settings.replica_timeout_s);
  return options;
}

}  // namespace dp::cmd
