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

TEST_CASE("hash64 is pinned for every length from 0 to 47: each tail length and each path through the lanes") {
  const std::string text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const std::uint64_t want[48] = {
      0xb82e700a8c064a57ull, 0x2aebdcff0e1655feull, 0xf3d38b334d3fa4dfull,
      0xdbdff46139356d37ull, 0x4f96ed0668a3bfc2ull, 0x84435e81c17d2876ull,
      0x0824c23e82faeeadull, 0x27abe8a95c602b9dull, 0x54ffa597d7859abfull,
      0xd23563f885d2a99aull, 0x2ed665544f49507bull, 0x7e06d6de6888bec4ull,
      0xeefd901d81147702ull, 0x88b0d9b7738a1713ull, 0x702d8a190942b4f5ull,
      0x7964d6003f1bac59ull, 0xff443734b68ffbccull, 0x8aeff145f0510054ull,
      0x7f143dfee020e63full, 0x00aac05f73afa503ull, 0x84e04234728b3ebaull,
      0x1cea886f8f756435ull, 0xb69b2abaff213312ull, 0xd7d13c8686960b3aull,
      0xe3a14f8cc3f44f5cull, 0xb883c561451c6033ull, 0x0af3becf7f2e867aull,
      0xb0a0ea8fc01ffe3dull, 0x35d93ba7225f4b49ull, 0xfff8933f740f34d0ull,
      0x66a3686ef107748eull, 0x35e9cf030dc3e9f6ull, 0x209edb7b3e5ae46bull,
      0xb2a0ad86dac65b05ull, 0x0dccd4e8d5699257ull, 0x5cbd3239f8ac2a34ull,
      0xefeef1f2a88f615eull, 0x95472ee8758d9cbcull, 0xd74c8e18954dcc73ull,
      0xb99df7508279184full, 0x33a45557aaffa754ull, 0x925c96e0db27f43eull,
      0xc35ec8345b842acdull, 0x820948dcaf77ffaeull, 0x16a4cf19c529ed80ull,
      0x4e0fa8e3b9361cb3ull, 0x97046e113328ea40ull, 0xf6640aff0de9b6f2ull,
  };
  for (std::size_t n = 0; n < 48; ++n) {
    CAPTURE(n);
    CHECK(hash64(text.substr(0, n)) == want[n]);
  }
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
