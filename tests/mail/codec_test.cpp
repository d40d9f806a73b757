#include <doctest/doctest.h>

#include <string>

#include "mail/codec.hpp"

using namespace spamcore::mail::detail;

TEST_CASE("base64: well-formed input, with line breaks and padding") {
  bool bad = true;
  CHECK(decode_base64("SGVsbG8sIHdvcmxkIQ==", &bad) == "Hello, world!");
  CHECK_FALSE(bad);
  CHECK(decode_base64("TWFuIGlz\r\nIGRpc3Rp\r\nbmd1aXNo\r\nZWQ=\r\n", &bad) == "Man is distinguished");
  CHECK_FALSE(bad);
  CHECK(decode_base64("", &bad).empty());
  CHECK_FALSE(bad);
  CHECK(decode_base64("QUJD", &bad) == "ABC");
  CHECK(decode_base64("QQ==", &bad) == "A");
  CHECK(decode_base64("QUI=", &bad) == "AB");
  CHECK_FALSE(bad);
  CHECK(decode_base64(" \t Q U J D \n", &bad) == "ABC");
  CHECK_FALSE(bad);
}

TEST_CASE("base64: garbage bytes are skipped and flagged (mimetic P3 case)") {
  bool bad = false;
  CHECK(decode_base64("QUJD|QUJD", &bad) == "ABCABC");
  CHECK(bad);
  bad = false;
  CHECK(decode_base64("QU*JD", &bad) == "ABC");
  CHECK(bad);
}

TEST_CASE("base64: pure garbage and binary give no crash and little output") {
  bool bad = false;
  CHECK(decode_base64("!!!!@@@@####$$$$%%%%", &bad).empty());
  CHECK(bad);
  std::string bin;
  for (int i = 0; i < 100000; ++i) bin.push_back(static_cast<char>(i * 131 + 7));
  bad = false;
  const std::string out = decode_base64(bin, &bad);
  CHECK(bad);
  CHECK(out.size() <= bin.size());
}

TEST_CASE("base64: partial final quantum decoded as far as possible") {
  bool bad = false;
  CHECK(decode_base64("QUJDRA", &bad) == "ABCD");  // missing "=="
  CHECK(bad);
  bad = false;
  CHECK(decode_base64("QUJDREU", &bad) == "ABCDE");
  CHECK(bad);
  bad = false;
  CHECK(decode_base64("QUJDR", &bad) == "ABC");  // six stray bits
  CHECK(bad);
}

TEST_CASE("base64: padding ends the data") {
  bool bad = false;
  CHECK(decode_base64("QQ==\n\n", &bad) == "A");
  CHECK_FALSE(bad);
  CHECK(decode_base64("QQ==QUJD", &bad) == "A");  // data after the end is not decoded
  CHECK(bad);
  bad = false;
  CHECK(decode_base64("=QUJD", &bad).empty());
  CHECK(bad);
  bad = false;
  CHECK(decode_base64("QUJD====", &bad) == "ABC");
  CHECK(bad);
}

TEST_CASE("qp: escapes in either case, invalid ones kept") {
  bool bad = true;
  CHECK(decode_qp("Caf=E9 =c3=a9", &bad) == "Caf\xE9 \xC3\xA9");
  CHECK_FALSE(bad);
  CHECK(decode_qp("a=3Db", &bad) == "a=b");
  CHECK_FALSE(bad);
  CHECK(decode_qp("100% =ZZ off =4", &bad) == "100% =ZZ off =4");
  CHECK(bad);
  bad = false;
  CHECK(decode_qp("x=G1y", &bad) == "x=G1y");
  CHECK(bad);
}

TEST_CASE("qp: soft line breaks") {
  bool bad = true;
  CHECK(decode_qp("Vi=\r\nagra", &bad) == "Viagra");
  CHECK(decode_qp("Vi=\nagra", &bad) == "Viagra");
  CHECK(decode_qp("Vi= \t\nagra", &bad) == "Viagra");
  CHECK(decode_qp("Vi=  \r\nagra", &bad) == "Viagra");
  CHECK(decode_qp("Vi=\ragra", &bad) == "Viagra");
  CHECK_FALSE(bad);
}

TEST_CASE("qp: '=' or a soft break at the very end of the input") {
  bool bad = true;
  CHECK(decode_qp("end=", &bad) == "end");
  CHECK_FALSE(bad);
  CHECK(decode_qp("end=\n", &bad) == "end");
  CHECK(decode_qp("end= ", &bad) == "end");
  CHECK(decode_qp("end=4", &bad) == "end=4");
  CHECK(bad);
  CHECK(decode_qp("=", &bad).empty());
}

TEST_CASE("qp: hard line breaks survive trailing blanks and become LF (libraries.md P4)") {
  CHECK(decode_qp("a \nb") == "a \nb");
  CHECK(decode_qp("a \r\nb") == "a \nb");
  CHECK(decode_qp("a\t\rb") == "a\t\nb");
  CHECK(decode_qp("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour");
  CHECK(decode_qp("x\r\n\r\ny") == "x\n\ny");
}

TEST_CASE("qp: hostile input stays linear") {
  std::string s(1 << 20, '=');
  bool bad = false;
  const std::string out = decode_qp(s, &bad);
  CHECK(bad);
  CHECK(out.size() == s.size() - 1);  // every '=' kept but the last (a soft break at the end)
}

TEST_CASE("uuencode: a sample file") {
  const std::string text =
      "Here is the file:\n"
      "begin 644 cat.txt\n"
      "#0V%T\n"
      "`\n"
      "end\n"
      "bye\n";
  std::string out, name;
  REQUIRE(decode_uuencode(text, &out, &name));
  CHECK(out == "Cat");
  CHECK(name == "cat.txt");
}

TEST_CASE("uuencode: longer line, CRLF, stripped trailing blanks") {
  const std::string text =
      "begin 600 data.bin\r\n"
      "E:&5L;&\\@=V]R;&0L('1H:7,@:7,@=75E;F-O9&5D(&1A=&$A(0\r\n"
      "end\r\n";
  std::string out, name;
  REQUIRE(decode_uuencode(text, &out, &name));
  CHECK(out == "hello world, this is uuencoded data!!");
  CHECK(name == "data.bin");
}

TEST_CASE("uuencode: stops at garbage, rejects prose") {
  std::string out, name;
  REQUIRE(decode_uuencode("begin 644 a\n#0V%T\nthis is not uuencode {}\n", &out, &name));
  CHECK(out == "Cat");
  CHECK_FALSE(decode_uuencode("begin 644 things to come\nwith lowercase prose here\n", &out, &name));
  CHECK_FALSE(decode_uuencode("We begin now.\nNothing here.\n", &out, &name));
  CHECK_FALSE(decode_uuencode("begin 9z9 x\n#0V%T\nend\n", &out, &name));
  CHECK_FALSE(decode_uuencode("", &out, &name));
  // A length byte promising more than the line holds cannot amplify the output.
  std::string hostile = "begin 644 x\n";
  for (int i = 0; i < 10000; ++i) hostile += "M\n";
  REQUIRE(decode_uuencode(hostile, &out, &name));
  CHECK(out.size() <= hostile.size() * 2);
}
