#pragma once

#include <string>
#include <string_view>

namespace dp::config {

/// What a masked secret is replaced with in logs, --help and describe().
inline constexpr std::string_view kMask = "***";

/// Returns a libpq connection string with every password replaced by `***`, so that it can be
/// logged: URI form (`postgresql://user:pw@host/db`, `?password=pw` query parameters) and
/// key=value form (`password=pw`, `password = 'p w'`). Everything else is kept as written.
std::string mask_secrets(std::string_view db_string);

/// Returns a URL safe to log: a password in the user part and everything after the host (path
/// and query) are masked, because webhook URLs carry their token in the path or the query
/// (`https://hooks.example.com/***`).
std::string mask_url(std::string_view url);

}  // namespace dp::config
