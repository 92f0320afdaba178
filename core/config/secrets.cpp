#include "core/config/secrets.hpp"

#include <cctype>

#include "core/config/value_parsing.hpp"

namespace dp::config {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

/// Masks `password=...` parameters of a URI query (`a=1&password=x&b=2`).
std::string mask_query(std::string_view query) {
  std::string out;
  while (true) {
    const std::size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    const std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && equals_ignoring_case(param.substr(0, eq), "password")) {
      out.append(param.substr(0, eq + 1)).append(kMask);
    } else {
      out.append(param);
    }
    if (amp == std::string_view::npos) {
      return out;
    }
    out += '&';
    query.remove_prefix(amp + 1);
  }
}

std::string mask_uri(std::string_view uri) {
  const std::size_t scheme_end = uri.find("://") + 3;
  std::string_view rest = uri.substr(scheme_end);
  const std::size_t query_start = rest.find('?');
  const std::string_view before_query = rest.substr(0, query_start);
  // The last '@' before the query ends the user part: masking too much beats leaking a password
  // that contains an unencoded '@' or '/'.
  const std::size_t at = before_query.rfind('@');
  std::string out(uri.substr(0, scheme_end));
  std::string_view tail = before_query;
  if (at != std::string_view::npos) {
    const std::string_view user_info = before_query.substr(0, at);
    const std::size_t colon = user_info.find(':');
    if (colon != std::string_view::npos) {
      out.append(user_info.substr(0, colon + 1)).append(kMask);
    } else {
      out.append(user_info);
    }
    tail = before_query.substr(at);
  }
  out.append(tail);
  if (query_start != std::string_view::npos) {
    out += '?';
    out += mask_query(rest.substr(query_start + 1));
  }
  return out;
}

/// Reads one libpq key=value value starting at `pos` (quoted with '...' and backslash escapes,
/// or bare up to whitespace) and returns the position just after it.
std::size_t skip_value(std::string_view text, std::size_t pos) {
  if (pos < text.size() && text[pos] == '\'') {
    ++pos;
    while (pos < text.size() && text[pos] != '\'') {
      pos += text[pos] == '\\' ? 2 : 1;
    }
    return pos < text.size() ? pos + 1 : text.size();
  }
  while (pos < text.size() && !is_space(text[pos])) {
    pos += text[pos] == '\\' ? 2 : 1;
  }
  return pos < text.size() ? pos : text.size();
}

std::string mask_key_values(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t key_start = pos;
    while (pos < text.size() && is_space(text[pos])) {
      ++pos;
    }
    const std::size_t name_start = pos;
    while (pos < text.size() && text[pos] != '=' && !is_space(text[pos])) {
      ++pos;
    }
    const std::string_view name = text.substr(name_start, pos - name_start);
    while (pos < text.size() && is_space(text[pos])) {
      ++pos;
    }
    if (pos >= text.size() || text[pos] != '=') {
      // Not key=value syntax after all: keep the rest but never a password after it.
      const std::string_view rest = text.substr(key_start);
      const std::size_t password = to_lower(rest).find("password");
      if (password == std::string::npos) {
        return out.append(rest);
      }
      return out.append(rest.substr(0, password)).append("password=").append(kMask);
    }
    ++pos;
    while (pos < text.size() && is_space(text[pos])) {
      ++pos;
    }
    const std::size_t value_start = pos;
    pos = skip_value(text, pos);
    if (equals_ignoring_case(name, "password")) {
      out.append(text.substr(key_start, value_start - key_start)).append(kMask);
    } else {
      out.append(text.substr(key_start, pos - key_start));
    }
  }
  return out;
}

}  // namespace

std::string mask_secrets(std::string_view db_string) {
  if (starts_with_ignoring_case(db_string, "postgresql://") ||
      starts_with_ignoring_case(db_string, "postgres://")) {
    return mask_uri(db_string);
  }
  return mask_key_values(db_string);
}

std::string mask_url(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return url.empty() ? std::string() : std::string(kMask);
  }
  const std::string_view rest = url.substr(scheme + 3);
  const std::size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::size_t at = authority.rfind('@');
  std::string out(url.substr(0, scheme + 3));
  if (at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    const std::size_t colon = user_info.find(':');
    out.append(colon == std::string_view::npos ? user_info : user_info.substr(0, colon + 1));
    if (colon != std::string_view::npos) {
      out.append(kMask);
    }
    out.append(authority.substr(at));
  } else {
    out.append(authority);
  }
  if (authority_end != std::string_view::npos && authority_end + 1 < rest.size()) {
    out += '/';
    out.append(kMask);
  }
  return out;
}

}  // namespace dp::config
