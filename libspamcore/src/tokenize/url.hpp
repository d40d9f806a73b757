#pragma once
// Hosts and registrable domains of URLs, for url: features.
#include <string>
#include <string_view>

namespace spamcore::tokenize::detail {

/// The host of `url` ("http://user@Www.Example.COM:80/x" -> "www.example.com"; "www.x.org/y" -> "www.x.org"),
/// lower case, %XX-decoded, trailing dot dropped; empty when there is none.
std::string url_host(std::string_view url);

/// True for a dotted-quad IPv4 host (and decimal/hex obfuscations like "0x7f.1").
bool is_ip_host(std::string_view host);

/// The registrable part: the last two labels, or three when the second-level label is a generic one under a
/// two-letter country code ("a.b.example.co.uk" -> "example.co.uk"). No public suffix list: cheap and stable.
std::string_view registrable_domain(std::string_view host);

}  // namespace spamcore::tokenize::detail
