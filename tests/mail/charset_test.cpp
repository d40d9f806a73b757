#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "mail/charset.hpp"

using namespace spamcore::mail::detail;

TEST_CASE("normalize_charset: aliases, quotes, RFC 2231 language, junk") {
  CHECK(normalize_charset("ks_c_5601-1987") == "cp949");
  CHECK(normalize_charset("EUC-KR") == "cp949");
  CHECK(normalize_charset("gb2312") == "gb18030");
  CHECK(normalize_charset("GBK") == "gb18030");
  CHECK(normalize_charset("gb2312_charset") == "gb18030");
  CHECK(normalize_charset("big5") == "big5-hkscs");
  CHECK(normalize_charset("chinesebig5") == "big5-hkscs");
  CHECK(normalize_charset("iso-8859-1") == "windows-1252");
  CHECK(normalize_charset("Latin1") == "windows-1252");
  CHECK(normalize_charset("us-ascii") == "windows-1252");
  CHECK(normalize_charset("ascii") == "windows-1252");
  CHECK(normalize_charset("default") == "windows-1252");
  CHECK(normalize_charset("default_charset") == "windows-1252");
  CHECK(normalize_charset("unknown-8bit") == "windows-1252");
  CHECK(normalize_charset("") == "windows-1252");
  CHECK(normalize_charset("utf8") == "utf-8");
  CHECK(normalize_charset(" \"UTF-8\" ") == "utf-8");
  CHECK(normalize_charset("'utf-8'") == "utf-8");
  CHECK(normalize_charset("utf-8*en") == "utf-8");
  CHECK(normalize_charset("utf-8 (comment)") == "utf-8");
  CHECK(normalize_charset("cp1251") == "windows-1251");
  CHECK(normalize_charset("win-1251") == "windows-1251");
  CHECK(normalize_charset("Windows-1250") == "windows-1250");
  CHECK(normalize_charset("x-mac-cyrillic") == "mac-cyrillic");
  CHECK(normalize_charset("x-mac-roman") == "macintosh");
  CHECK(normalize_charset("shift_jis") == "cp932");
  CHECK(normalize_charset("koi8-r") == "koi8-r");
  CHECK(normalize_charset("iso-2022-jp") == "iso-2022-jp-2");
  CHECK(normalize_charset("utf-8//TRANSLIT") == "?");  // never passes options to iconv
}

TEST_CASE("is_valid_utf8") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii text that is longer than eight bytes"));
  CHECK(is_valid_utf8("caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80"));
  CHECK_FALSE(is_valid_utf8("caf\xE9"));                // latin-1
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));               // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));           // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));           // surrogate U+D800
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));       // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE4\xB8"));               // truncated
  CHECK_FALSE(is_valid_utf8("abcdefgh\x80"));           // stray continuation after the fast path
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));             // U+10FFFF
}

TEST_CASE("to_utf8: ASCII is returned as is whatever the label") {
  CharsetResult r;
  CHECK(to_utf8("Hello world", "big5", &r) == "Hello world");
  CHECK_FALSE(r.invalid_bytes);
  CHECK_FALSE(r.unknown_charset);
  CHECK(to_utf8("Hello world", "iso-8859-1", &r) == "Hello world");
  CHECK(to_utf8("Hello world", "", &r) == "Hello world");
  CHECK(to_utf8("", "gb2312", &r).empty());
}

TEST_CASE("to_utf8: utf-8 label, valid and invalid") {
  CharsetResult r;
  CHECK(to_utf8("caf\xC3\xA9", "UTF-8", &r) == "caf\xC3\xA9");
  CHECK_FALSE(r.invalid_bytes);
  CHECK(to_utf8("caf\xE9 ok", "utf-8", &r) == "caf\xEF\xBF\xBD ok");
  CHECK(r.invalid_bytes);
  // Maximal subparts: a truncated 3-byte sequence is one U+FFFD, then the ASCII byte.
  CHECK(to_utf8("\xE4\xB8x", "utf8", &r) == "\xEF\xBF\xBDx");
  CHECK(to_utf8("\xC0\xAF", "utf-8", &r) == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(to_utf8("\xED\xA0\x80", "utf-8", &r) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("to_utf8: latin-1 labels read as windows-1252, including its 5 undefined bytes") {
  CharsetResult r;
  CHECK(to_utf8("caf\xE9", "iso-8859-1", &r) == "caf\xC3\xA9");
  CHECK(to_utf8("\x93quoted\x94 \x80 \x99", "us-ascii", &r) ==
        "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC \xE2\x84\xA2");
  CHECK(to_utf8("a\x81\x8D\x8F\x90\x9D" "b", "windows-1252", &r) == "a\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D" "b");
  CHECK_FALSE(r.invalid_bytes);
}

TEST_CASE("to_utf8: no label means UTF-8 if valid, else windows-1252") {
  CharsetResult r;
  CHECK(to_utf8("caf\xC3\xA9", "", &r) == "caf\xC3\xA9");
  CHECK(to_utf8("caf\xE9", "", &r) == "caf\xC3\xA9");
  CHECK_FALSE(r.unknown_charset);
  CHECK_FALSE(r.invalid_bytes);
}

TEST_CASE("to_utf8: unknown label falls back and says so") {
  CharsetResult r;
  CHECK(to_utf8("caf\xE9", "x-no-such-charset", &r) == "caf\xC3\xA9");
  CHECK(r.unknown_charset);
  CHECK(to_utf8("caf\xC3\xA9", "bogus", &r) == "caf\xC3\xA9");
  CHECK(r.unknown_charset);
  CHECK(to_utf8("plain", "bogus", &r) == "plain");
  CHECK(r.unknown_charset);
  CHECK(to_utf8("caf\xE9", "utf-8//IGNORE", &r) == "caf\xC3\xA9");
  CHECK(r.unknown_charset);
}

TEST_CASE("to_utf8: CJK and Cyrillic through iconv") {
  CharsetResult r;
  // big5 (read as big5-hkscs)
  CHECK(to_utf8("\xA4\xA3\xAC\xDD\xB7\x7C\xAB\xE1\xAE\xAC", "big5", &r) == "不看會後悔");
  CHECK_FALSE(r.invalid_bytes);
  // gb2312 (read as gb18030), and a GBK-only character under the gb2312 label
  CHECK(to_utf8("\xD6\xD0\xCE\xC4\xD3\xCA\xBC\xFE", "gb2312", &r) == "中文邮件");
  CHECK(to_utf8("\xE9\x46", "gb2312", &r) == "镕");
  CHECK_FALSE(r.invalid_bytes);
  // euc-kr label with a cp949-only syllable
  CHECK(to_utf8("\xBE\xC8\xB3\xE7\x8C\x63", "euc-kr", &r) == "안녕똠");
  CHECK(to_utf8("\xBE\xC8\xB3\xE7", "ks_c_5601-1987", &r) == "안녕");
  CHECK(to_utf8("\x93\xFA\x96\x7B\x8C\xEA", "shift_jis", &r) == "日本語");
  CHECK(to_utf8("\xF0\xD2\xC9\xD7\xC5\xD4\x20\xCD\xC9\xD2", "koi8-r", &r) == "Привет мир");
  CHECK(to_utf8("\xCF\xF0\xE8\xE2\xE5\xF2", "windows-1251", &r) == "Привет");
  CHECK_FALSE(r.unknown_charset);
  CHECK_FALSE(r.invalid_bytes);
}

TEST_CASE("to_utf8: ISO-2022-JP is 7-bit but still converted; state is reset per call") {
  CharsetResult r;
  const std::string jp = "\x1B\x24\x42\x25\x46\x25\x39\x25\x48\x1B\x28\x42";
  CHECK(to_utf8(jp, "iso-2022-jp", &r) == "テスト");
  CHECK_FALSE(r.invalid_bytes);
  // Unterminated shift: the next call must start in ASCII again.
  CHECK(to_utf8("\x1B\x24\x42\x25\x46", "ISO-2022-JP", &r) == "テ");
  CHECK(to_utf8("%F plain", "iso-2022-jp", &r) == "%F plain");
  CHECK(to_utf8("ab\x1B(I12\x1B(B", "iso-2022-jp", &r) == "abｱｲ");  // half-width katakana
}

TEST_CASE("to_utf8: UTF-16 and UTF-7 labels are not ASCII-compatible") {
  CharsetResult r;
  CHECK(to_utf8(std::string("\xFF\xFE\x48\x00\x69\x00\x20\x00\xAC\x20", 10), "utf-16le", &r) == "Hi €");
  CHECK(to_utf8(std::string("\xFF\xFE\x48\x00\x69\x00\x20\x00\xAC\x20", 10), "utf-16", &r) == "Hi €");
  CHECK(to_utf8(std::string("\x00\x48\x00\x69\x00\x20\x20\xAC", 8), "UTF-16BE", &r) == "Hi €");
  CHECK(to_utf8(std::string("\x48\x00\x69\x00\x20\x00\xAC\x20", 8), "utf-16", &r) == "Hi €");  // no BOM: sniffed
  CHECK_FALSE(r.invalid_bytes);
  // Odd length: the dangling byte becomes U+FFFD
  CHECK(to_utf8(std::string("\x48\x00\x69", 3), "utf-16le", &r) == "H\xEF\xBF\xBD");
  CHECK(r.invalid_bytes);
  CHECK(to_utf8("Gr+APYA3w-e", "utf-7", &r) == "Größe");
}

TEST_CASE("to_utf8: invalid bytes become U+FFFD and conversion goes on") {
  CharsetResult r;
  // 0xFF is not a valid big5 lead byte
  CHECK(to_utf8("\xA4\xA3\xFF\xA4\xA3", "big5", &r) == "不\xEF\xBF\xBD不");
  CHECK(r.invalid_bytes);
  // truncated double-byte character at the end
  CHECK(to_utf8("\xD6\xD0\xCE", "gb2312", &r) == "中\xEF\xBF\xBD");
  CHECK(r.invalid_bytes);
  // 0x98 is undefined in windows-1251
  CHECK(to_utf8("\xCF\x98\xF0", "windows-1251", &r) == "П\xEF\xBF\xBDр");
  CHECK(r.invalid_bytes);
}

TEST_CASE("to_utf8: hostile sizes") {
  std::string junk;
  for (int i = 0; i < 200000; ++i) junk.push_back(static_cast<char>(0x80 | (i * 37 % 128)));
  CharsetResult r;
  CHECK(is_valid_utf8(to_utf8(junk, "big5", &r)));
  CHECK(is_valid_utf8(to_utf8(junk, "utf-8", &r)));
  CHECK(is_valid_utf8(to_utf8(junk, "iso-2022-jp", &r)));
  CHECK(is_valid_utf8(to_utf8(junk, "utf-16", &r)));
  CHECK(is_valid_utf8(to_utf8(junk, "", &r)));
  // Many distinct labels: the per-thread cache stays bounded.
  for (int i = 0; i < 200; ++i) to_utf8("\xE9", "x-label-" + std::to_string(i), &r);
  CHECK(r.unknown_charset);
}

TEST_CASE("to_utf8: usable from several threads") {
  std::string a, b;
  std::thread t1([&] {
    for (int i = 0; i < 200; ++i) a = to_utf8("\xA4\xA3\xAC\xDD", "big5");
  });
  std::thread t2([&] {
    for (int i = 0; i < 200; ++i) b = to_utf8("\xD6\xD0\xCE\xC4", "gb2312");
  });
  t1.join();
  t2.join();
  CHECK(a == "不看");
  CHECK(b == "中文");
}

TEST_CASE("CharsetBudget: past its count, a charset not yet opened on this thread is unknown; without one, it is not") {
  // (Charsets no other test opens: one opened before is in this thread's cache, and costs no budget.)
  CharsetResult r;
  {
    const CharsetBudget budget(2);
    to_utf8("caf\xe9", "ibm277", &r);
    CHECK_FALSE(r.unknown_charset);
    r = {};
    to_utf8("caf\xe9", "ibm278", &r);
    CHECK_FALSE(r.unknown_charset);
    r = {};
    to_utf8("caf\xe9", "ibm277", &r);  // cached: free
    CHECK_FALSE(r.unknown_charset);
    r = {};
    CHECK(to_utf8("caf\xe9", "ibm280", &r) == "caf\xc3\xa9");  // unknown: the windows-1252 fallback
    CHECK(r.unknown_charset);
  }
  r = {};
  to_utf8("caf\xe9", "ibm280", &r);
  CHECK_FALSE(r.unknown_charset);
}
