#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "mail/header.hpp"
#include "spamcore/mail/parse.hpp"
#include "test_util.hpp"

using namespace spamcore;
using namespace spamcore::mail;
using spamcore::test::fixture;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

bool has_url(const Message& m, const std::string& u) {
  return std::find(m.urls.begin(), m.urls.end(), u) != m.urls.end();
}

}  // namespace

TEST_CASE("plain message: envelope skipped, folded headers, duplicates kept in order, URLs") {
  const Message m = parse(fixture("mail/plain.eml"));
  REQUIRE(m.headers.size() == 8);
  CHECK(m.headers[0].name == "Return-Path");
  CHECK(m.headers[1].value ==
        "from mx.example.com (mx.example.com [192.0.2.1]) by mail.example.org with ESMTP id 12345 for "
        "<rcpt@example.org>; Thu, 22 Aug 2002 12:36:23 +0100");
  CHECK(m.headers[4].value == "Meeting notes");
  CHECK(m.headers[5].value == "A second subject line");
  CHECK(m.header("subject") == "Meeting notes");
  CHECK(!m.header("x-missing"));
  REQUIRE(m.parts.size() == 1);
  CHECK(m.parts[0].content_type == "text/plain");
  CHECK(m.parts[0].is_text);
  CHECK(contains(m.text(), "the notes from today"));
  CHECK(has_url(m, "http://intranet.example.org/notes.html"));
  CHECK(has_url(m, "www.example.net/slides"));
  CHECK(m.issues.empty());
  CHECK(m.line_ending == "\n");
}

TEST_CASE("CRLF message decodes to the same text as LF") {
  const Message lf = parse(fixture("mail/plain.eml"));
  const Message crlf = parse(fixture("mail/crlf.eml"));
  CHECK(crlf.line_ending == "\r\n");
  REQUIRE(crlf.headers.size() == lf.headers.size());
  for (std::size_t i = 0; i < lf.headers.size(); ++i) CHECK(crlf.headers[i].value == lf.headers[i].value);
  CHECK(crlf.text() == lf.text());
  CHECK(!crlf.has_issue(IssueKind::bare_cr));
}

TEST_CASE("bare CR line endings") {
  const Message m = parse(fixture("mail/bare_cr.eml"));
  CHECK(m.line_ending == "\r");
  CHECK(m.header("Subject") == "bare cr");
  CHECK(m.header("From") == "a@example.org");
  CHECK(m.text() == "Body line one\nBody line two\n");
  CHECK(m.has_issue(IssueKind::bare_cr));
}

TEST_CASE("multipart/alternative: RFC 2047 subject, QP text, base64 HTML with tricks") {
  const Message m = parse(fixture("mail/multipart_alternative.eml"));
  CHECK(m.header("Subject") == "Café deals €50");
  REQUIRE(m.parts.size() == 2);
  const Part& text = m.parts[0];
  CHECK(text.content_type == "text/plain");
  CHECK(text.charset == "iso-8859-1");
  CHECK(text.transfer_encoding == "quoted-printable");
  CHECK(text.depth == 1);
  CHECK(contains(text.text, "Café crème for only 50 euros!"));
  CHECK(contains(text.text, "now. \nLine two."));  // QP hard break after trailing blank survives (P4)
  const Part& html = m.parts[1];
  CHECK(html.is_html);
  CHECK(html.transfer_encoding == "base64");
  CHECK(contains(html.text, "Viagra"));         // comment inside the word removed, word whole
  CHECK(!contains(html.text, "hammy words"));   // hidden text is not reader text
  CHECK(has_url(m, "http://cheap.spam.example/buy"));
  CHECK(has_url(m, "http://click.spam.example/?id=1"));
  CHECK(m.html.html_parts == 1);
  CHECK(m.html.images == 1);
  CHECK(m.html.links == 1);
  CHECK(m.html.comments_in_words == 1);
  CHECK(m.html.hidden_chars > 0);
  CHECK(m.issues.empty());
}

TEST_CASE("nested multipart, RFC 2231 attachment name, message/rfc822 inside") {
  const Message m = parse(fixture("mail/nested.eml"));
  REQUIRE(m.parts.size() == 4);
  CHECK(m.parts[0].content_type == "text/plain");
  CHECK(m.parts[0].depth == 2);
  CHECK(m.parts[0].text == "See the attached report.");
  CHECK(m.parts[1].is_html);
  CHECK(m.parts[1].text == "See the attached report.");
  const Part& pdf = m.parts[2];
  CHECK(pdf.content_type == "application/pdf");
  CHECK(!pdf.is_text);
  CHECK(pdf.disposition == "attachment");
  CHECK(pdf.filename == "€ report.pdf");
  CHECK(pdf.decoded_size == 52);
  CHECK(pdf.text.empty());
  const Part& inner = m.parts[3];  // the forwarded message's body
  CHECK(inner.depth == 2);
  CHECK(inner.charset == "koi8-r");
  CHECK(contains(inner.text, "Forwarded body."));
}

TEST_CASE("multipart without boundary parameter: boundary recovered from the body") {
  const Message m = parse(fixture("mail/missing_boundary.eml"));
  CHECK(m.has_issue(IssueKind::missing_boundary));
  REQUIRE(m.parts.size() == 2);
  CHECK(m.parts[0].text == "Hidden payload text.");
  CHECK(contains(m.parts[1].text, "More payload."));
}

TEST_CASE("multipart whose boundary never appears: body read as text") {
  const Message m = parse(fixture("mail/wrong_boundary.eml"));
  CHECK(m.has_issue(IssueKind::missing_boundary));
  REQUIRE(m.parts.size() == 1);
  CHECK(contains(m.text(), "Just some text where the parts should be."));
}

TEST_CASE("uuencoded file inside a text body becomes an attachment") {
  const Message m = parse(fixture("mail/uuencode.eml"));
  REQUIRE(m.parts.size() == 2);
  CHECK(contains(m.parts[0].text, "Here is the file:"));
  CHECK(contains(m.parts[0].text, "Bye."));
  CHECK(!contains(m.parts[0].text, ",:&5L"));
  CHECK(m.parts[1].filename == "hello.txt");
  CHECK(m.parts[1].decoded_size == 12);
  CHECK(!m.parts[1].is_text);
}

TEST_CASE("no header block") {
  const Message m = parse(fixture("mail/no_header.eml"));
  CHECK(m.headers.empty());
  CHECK(m.has_issue(IssueKind::no_header));
  CHECK(m.text() == "This is not a header line at all\nJust text.\n");
}

TEST_CASE("hostile bytes: broken encoded word, 8-bit header, NULs") {
  const Message m = parse(fixture("mail/hostile_bytes.eml"));
  CHECK(m.header("Subject") == "=?utf-8?B?broken");
  CHECK(m.header("From") == "été@example.org");  // raw latin-1 read as windows-1252
  CHECK(m.has_issue(IssueKind::bad_encoded_word));
  CHECK(m.has_issue(IssueKind::eight_bit_header));
  CHECK(m.has_issue(IssueKind::nul_bytes));
  REQUIRE(m.parts.size() == 1);
  CHECK(contains(m.parts[0].text, "body with"));
}

TEST_CASE("quoted-printable: soft breaks, bad escapes kept, charset") {
  const Message m = parse(fixture("mail/qp_softbreaks.eml"));
  REQUIRE(m.parts.size() == 1);
  const std::string& t = m.parts[0].text;
  CHECK(contains(t, "softbreak and a trailing space"));
  CHECK(contains(t, "kept line=break =ZZ bad escape été"));
  CHECK(m.has_issue(IssueKind::bad_qp));
}

TEST_CASE("empty and tiny inputs") {
  CHECK(parse("").parts.size() == 1);
  CHECK(parse("\n").headers.empty());
  CHECK(parse("From ").headers.empty());
  CHECK(parse("Subject: x").header("subject") == "x");
  CHECK(parse("Subject: x\n").text().empty());
}

TEST_CASE("limits: truncation at max_bytes") {
  Limits limits;
  limits.max_bytes = 100;
  const std::string big = "Subject: big\n\n" + std::string(1000, 'a');
  const Message m = parse(big, limits);
  CHECK(m.has_issue(IssueKind::truncated));
  CHECK(m.raw_size == 1014);
  CHECK(m.analysed_size == 100);
  CHECK(m.text().size() == 86);
}

TEST_CASE("limits: too many headers, overlong header line") {
  std::string msg;
  for (int i = 0; i < 5000; ++i) msg += "X-H" + std::to_string(i) + ": v\n";
  msg += "Subject: " + std::string(200000, 'x') + "\n\nbody\n";
  Limits limits;
  limits.max_bytes = 1 << 22;
  const Message m = parse(msg, limits);
  CHECK(m.headers.size() == limits.max_headers);
  CHECK(m.has_issue(IssueKind::too_many_headers));
  CHECK(m.text() == "body\n");  // the body still starts in the right place
  Message m2 = parse("Subject: " + std::string(200000, 'x') + "\n\nbody\n", limits);
  CHECK(m2.has_issue(IssueKind::long_line));
  CHECK(m2.header("subject")->size() == limits.max_line);
}

namespace {

std::string nested_multipart(int depth) {
  std::string head = "Subject: deep\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n";
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open += "--b" + std::to_string(i) + "\nContent-Type: multipart/mixed; boundary=\"b" + std::to_string(i + 1) +
            "\"\n\n";
  }
  open += "--b" + std::to_string(depth) + "\nContent-Type: text/plain\n\ndeepest text\n";
  for (int i = depth; i >= 0; --i) close += "--b" + std::to_string(i) + "--\n";
  return head + open + close;
}

}  // namespace

TEST_CASE("limits: nesting depth") {
  const Message shallow = parse(nested_multipart(5));
  CHECK(shallow.text() == "deepest text");
  CHECK(shallow.issues.empty());
  const Message deep = parse(nested_multipart(30));
  CHECK(deep.has_issue(IssueKind::depth_limit));
  CHECK(deep.text().empty());
  const auto t0 = std::chrono::steady_clock::now();
  const Message bomb = parse(nested_multipart(1000));
  CHECK(bomb.has_issue(IssueKind::nesting_prescan));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("limits: part flood") {
  std::string msg = "Subject: flood\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 100000; ++i) msg += "--b\n\n";
  msg += "--b--\n";
  Limits limits;
  limits.max_bytes = 1 << 22;
  const Message m = parse(msg, limits);
  CHECK(m.has_issue(IssueKind::part_limit));
  CHECK(m.parts.size() <= limits.max_parts);
}

TEST_CASE("Content-Type parsing is tolerant") {
  using detail::parse_field_params;
  auto p = parse_field_params(" Text/HTML ; charset=\"UTF-8\" (comment); boundary=\"a;b\"");
  CHECK(p.value == "text/html");
  CHECK(p.param("charset") == "UTF-8");
  CHECK(p.param("boundary") == "a;b");
  CHECK(parse_field_params("text/plain charset=us-ascii").value == "text/plain");
  auto c = parse_field_params("attachment; filename*0=\"long \"; filename*1=\"name.exe\"");
  CHECK(c.param("filename") == "long name.exe");
}

TEST_CASE("to_json never throws on invalid UTF-8 and names every section") {
  const std::string j = to_json(parse(fixture("mail/hostile_bytes.eml")));
  for (const char* key : {"\"headers\"", "\"parts\"", "\"urls\"", "\"issues\"", "\"html\"", "\"raw_size\""})
    CHECK(contains(j, key));
}

TEST_CASE("a part header field folded past max_line: the rest of its folded lines is dropped, the part still read") {
  // mimetic grows a field's value 128 bytes at a time, copying it each time: 1 MB of one folded field cost a second.
  std::string m = "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\n"
                  "Content-Type: text/plain\nX-A: x\n";
  for (int i = 0; i < 10; ++i) m += " " + std::string(30000, 'y') + "\n";  // 300 KB folded
  m += "\nhello from the part\n--BB--\n";
  const Message msg = parse(m);
  bool folded_issue = false;
  for (const Issue& i : msg.issues) folded_issue |= i.kind == IssueKind::long_line && i.detail == "folded MIME header field";
  CHECK(folded_issue);
  bool found = false;
  for (const Part& p : msg.parts) found |= p.text.find("hello from the part") != std::string::npos;
  CHECK(found);
  // An indented block after an ordinary body line is left whole, however long.
  std::string body = "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\n"
                     "Content-Type: text/plain\n\nintro line\n";
  for (int i = 0; i < 40; ++i) body += " " + std::string(3000, 'z') + "\n";
  body += "--BB--\n";
  const Message whole = parse(body);
  std::size_t zs = 0;
  for (const Part& p : whole.parts) zs += static_cast<std::size_t>(std::count(p.text.begin(), p.text.end(), 'z'));
  CHECK(zs == 40u * 3000u);
}
