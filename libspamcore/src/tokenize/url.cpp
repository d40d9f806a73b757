#include "tokenize/url.hpp"

#include <array>

namespace spamcore::tokenize::detail {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos && scheme < 16) url.remove_prefix(scheme + 3);
  const auto end = url.find_first_of("/?#\\");
  std::string_view authority = url.substr(0, end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {  // IPv6 literal
    const auto close = authority.find(']');
    return std::string(authority.substr(0, close == std::string_view::npos ? authority.size() : close + 1));
  }
  if (const auto colon = authority.find(':'); colon != std::string_view::npos) authority = authority.substr(0, colon);
  std::string host;
  host.reserve(authority.size());
  for (std::size_t i = 0; i < authority.size(); ++i) {
    char c = authority[i];
    if (c == '%' && i + 2 < authority.size() && hex(authority[i + 1]) >= 0 && hex(authority[i + 2]) >= 0) {
      c = static_cast<char>(hex(authority[i + 1]) * 16 + hex(authority[i + 2]));
      i += 2;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>') break;
    host.push_back(c);
  }
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.size() > 253) host.resize(253);
  return host;
}

bool is_ip_host(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') return true;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (!((c >= '0' && c <= '9') || c == 'x' || (c >= 'a' && c <= 'f'))) return false;
  }
  // All-hex/decimal labels: dotted quads, and the single-number forms browsers accept (http://3232235777/).
  return dots == 3 || (dots == 0 && host.size() >= 8 && host.find_first_not_of("0123456789") == std::string_view::npos) ||
         host.rfind("0x", 0) == 0;
}

std::string_view registrable_domain(std::string_view host) {
  if (is_ip_host(host)) return host;
  const auto last = host.rfind('.');
  if (last == std::string_view::npos || last == 0) return host;
  const auto second = host.rfind('.', last - 1);
  if (second == std::string_view::npos) return host;
  const std::string_view tld = host.substr(last + 1);
  const std::string_view sld = host.substr(second + 1, last - second - 1);
  static constexpr std::array<std::string_view, 10> kGeneric = {"co", "com", "net", "org", "ac", "gov", "edu",
                                                                 "or", "ne", "go"};
  bool generic = false;
  for (std::string_view g : kGeneric) generic = generic || sld == g;
  if (tld.size() == 2 && generic) {
    const auto third = second == 0 ? std::string_view::npos : host.rfind('.', second - 1);
    return third == std::string_view::npos ? host : host.substr(third + 1);
  }
  return host.substr(second + 1);
}

}  // namespace spamcore::tokenize::detail
