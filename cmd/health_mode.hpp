#pragma once

#include <chrono>
#include <string>

#include "core/config/settings.hpp"

namespace dp::cmd {

/// `--health`: GET /healthz of the running service, so the container's HEALTHCHECK needs no
/// curl. Exit 0 on 200, 1 with a one-line reason otherwise.
int run_health(const config::Settings& settings);

/// The check behind --health: empty when `GET http://host:port/path` answered 200 within
/// `timeout`, else why not (tests call it directly).
std::string probe_http(const std::string& host, int port, const std::string& path,
                       std::chrono::milliseconds timeout);

}  // namespace dp::cmd
