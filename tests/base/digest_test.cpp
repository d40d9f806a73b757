#include <doctest/doctest.h>

#include <string>

#include "spamcore/base/digest.hpp"
#include "spamcore/base/error.hpp"
#include "base/sha256_blocks.hpp"
#include <cstring>
#include <random>

using namespace spamcore;

TEST_CASE("sha256 matches FIPS 180-4 vectors") {
  CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(to_hex(sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 is the same fed in pieces of any size") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(char(i * 7));
  const auto whole = sha256(data);
  for (std::size_t step : {1u, 3u, 63u, 64u, 65u, 200u}) {
    Sha256 s;
    for (std::size_t i = 0; i < data.size(); i += step) s.update(std::string_view(data).substr(i, step));
    CHECK(s.finish() == whole);
  }
  Sha256 s;  // an empty view may have a null data(): no bytes, no effect (UBSan checks the memcpy)
  s.update(std::string_view());
  s.update("abc");
  s.update(std::string_view());
  CHECK(s.finish() == sha256("abc"));
}

TEST_CASE("Error formats path and problem") {
  Error e(ErrorKind::io, "/x/y", "cannot open");
  CHECK(std::string(e.what()) == "/x/y: cannot open");
  CHECK(e.kind() == ErrorKind::io);
}

TEST_CASE("sha256: the CPU's SHA extensions and the portable rounds agree on random blocks") {
  MESSAGE("SHA-NI in use: " << detail::sha256_uses_sha_ni());
  std::mt19937_64 rng(7);
  std::vector<std::uint8_t> data(64 * 37);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  for (std::size_t blocks : {std::size_t{1}, std::size_t{2}, std::size_t{37}}) {
    std::uint32_t a[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::uint32_t b[8];
    std::memcpy(b, a, sizeof a);
    detail::sha256_blocks(a, data.data(), blocks);
    detail::sha256_blocks_portable(b, data.data(), blocks);
    CHECK(std::memcmp(a, b, sizeof a) == 0);
  }
}
