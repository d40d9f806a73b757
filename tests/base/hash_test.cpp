#include <doctest/doctest.h>

#include <set>
#include <string>

#include "spamcore/base/hash.hpp"

using namespace spamcore;

TEST_CASE("hash64 is pinned: models depend on these exact values") {
  // If these change, every saved model's feature ids change: bump TokenizerSettings' version instead.
  CHECK(hash64("subject:free") == 0xf80b0e0f161c289full);
  CHECK(hash64("") == 0xb82e700a8c064a57ull);
  CHECK(hash64(std::string(100, 'x')) == 0xc102eda5d832010eull);
  const std::uint64_t a = hash64("subject:free");
  CHECK(a == hash64("subject:free"));
  CHECK(a != hash64("subject:Free"));
  CHECK(hash64("abc", 1) != hash64("abc", 2));
}

TEST_CASE("hash64 has no collisions on a small dense set and depends on every byte") {
  std::set<std::uint64_t> seen;
  std::string s(40, 'a');
  for (std::size_t len = 0; len <= 40; ++len)
    for (int c = 0; c < 256; ++c) {
      std::string t = s.substr(0, len);
      if (len > 0) t[len - 1] = static_cast<char>(c);
      seen.insert(hash64(t));
    }
  CHECK(seen.size() == 1 + 40 * 256);  // every distinct string, distinct id
}
