#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "mail/rfc2047.hpp"

using spamcore::mail::detail::decode_header_value;

TEST_CASE("rfc2047: plain values pass through") {
  bool bad = true;
  CHECK(decode_header_value("Hello world", &bad) == "Hello world");
  CHECK_FALSE(bad);
  CHECK(decode_header_value("", &bad).empty());
  CHECK(decode_header_value("50% off =? maybe", &bad) == "50% off =? maybe");
  CHECK_FALSE(bad);
}

TEST_CASE("rfc2047: Q and B words, either case") {
  bool bad = true;
  CHECK(decode_header_value("=?iso-8859-1?Q?Caf=E9?=", &bad) == "Café");
  CHECK_FALSE(bad);
  CHECK(decode_header_value("=?big5?Q?=A4=A3=AC=DD=B7=7C=AB=E1=AE=AC?=", &bad) == "不看會後悔");
  CHECK(decode_header_value("=?utf-8?q?caf=c3=a9_au_lait?=", &bad) == "café au lait");
  CHECK(decode_header_value("=?UTF-8?B?SGVsbG8sIHdvcmxkIQ==?=", &bad) == "Hello, world!");
  CHECK(decode_header_value("=?utf-8?b?SGVsbG8sIHdvcmxkIQ==?=", &bad) == "Hello, world!");
  CHECK(decode_header_value("=?utf-8?B?SGVsbG8sIHdvcmxkIQ?=", &bad) == "Hello, world!");  // padding missing
  CHECK_FALSE(bad);
}

TEST_CASE("rfc2047: adjacent words are joined, also inside a split character") {
  bool bad = true;
  // "こんにちは世界" split after 8 bytes: the third character straddles the two words.
  CHECK(decode_header_value("=?utf-8?B?44GT44KT44E=?= \r\n\t=?utf-8?B?q+OBoeOBr+S4lueVjA==?=", &bad) ==
        "こんにちは世界");
  CHECK_FALSE(bad);
  CHECK(decode_header_value("=?iso-8859-1?q?a?= =?iso-8859-1?q?b?=") == "ab");
  CHECK(decode_header_value("=?iso-8859-1?q?a?=   =?utf-8?q?b?=") == "ab");
  // Text between words is kept, with its spaces.
  CHECK(decode_header_value("=?iso-8859-1?q?a?= and =?iso-8859-1?q?b?=") == "a and b");
  CHECK(decode_header_value("Re: =?iso-8859-1?Q?Caf=E9?= tonight") == "Re: Café tonight");
}

TEST_CASE("rfc2047: words glued to text, RFC 2231 language, empty text") {
  CHECK(decode_header_value("Re:=?utf-8?Q?Hi?=there") == "Re:Hithere");
  CHECK(decode_header_value("=?utf-8*en?Q?Hello?=") == "Hello");
  CHECK(decode_header_value("=?utf-8?Q?" "?=x") == "x");  // split: "??=" is a trigraph
  CHECK(decode_header_value("\"=?utf-8?Q?J=C3=BCrgen?=\" <j@example.com>") == "\"Jürgen\" <j@example.com>");
}

TEST_CASE("rfc2047: ISO-2022-JP, gb2312 and unknown charsets") {
  bool bad = true;
  CHECK(decode_header_value("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=", &bad) == "テスト");
  CHECK_FALSE(bad);
  CHECK(decode_header_value("=?gb2312?B?1tDOxA==?=", &bad) == "中文");
  // Unknown charset: decoded with the fallback (UTF-8 if valid, else windows-1252), not left as written.
  CHECK(decode_header_value("=?x-unknown-cs?Q?Caf=E9?=", &bad) == "Café");
  CHECK(decode_header_value("=?bogus?Q?Caf=C3=A9?=", &bad) == "Café");
  CHECK_FALSE(bad);
}

TEST_CASE("rfc2047: broken words are left as written and flagged") {
  bool bad = false;
  CHECK(decode_header_value("=?utf-8?B?!!!not*base64?=", &bad) == "=?utf-8?B?!!!not*base64?=");
  CHECK(bad);
  bad = false;
  CHECK(decode_header_value("=?utf-8?B?QUJDR?=", &bad) == "=?utf-8?B?QUJDR?=");  // 6 stray bits
  CHECK(bad);
  bad = false;
  CHECK(decode_header_value("Subject =?utf-8?Q?never closed", &bad) == "Subject =?utf-8?Q?never closed");
  CHECK(bad);
  bad = false;
  CHECK(decode_header_value("=?utf-8?X?abc?=", &bad) == "=?utf-8?X?abc?=");
  CHECK(bad);
  bad = false;
  // a broken word between two good ones keeps its surrounding spaces
  CHECK(decode_header_value("=?utf-8?Q?a?= =?utf-8?B?#?= =?utf-8?Q?b?=", &bad) == "a =?utf-8?B?#?= b");
  CHECK(bad);
  bad = false;
  // malformed '=' in Q: kept, decoded otherwise, flagged
  CHECK(decode_header_value("=?utf-8?Q?100=_sure=?=", &bad) == "100= sure=");
  CHECK(bad);
}

TEST_CASE("rfc2047: raw 8-bit bytes outside words") {
  CHECK(decode_header_value("Caf\xC3\xA9 =?utf-8?Q?ok?=") == "Café ok");
  CHECK(decode_header_value("Caf\xE9 =?utf-8?Q?ok?=") == "Café ok");  // not UTF-8: windows-1252
  CHECK(decode_header_value("Caf\xE9 \x93quoted\x94") == "Café “quoted”");
}

TEST_CASE("rfc2047: hostile input stays linear") {
  std::string s;
  for (int i = 0; i < 100000; ++i) s += "=?a?q?";
  std::string t;
  for (int i = 0; i < 100000; ++i) t += "=?=?";
  std::string u(300000, '?');
  u = "=?utf-8?Q?" + u;
  const auto start = std::chrono::steady_clock::now();
  bool bad = false;
  CHECK_FALSE(decode_header_value(s, &bad).empty());
  CHECK_FALSE(decode_header_value(t, &bad).empty());
  CHECK_FALSE(decode_header_value(u, &bad).empty());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}
