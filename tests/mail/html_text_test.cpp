#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "mail/html_text.hpp"

using namespace spamcore::mail::detail;

namespace {

std::string text_of(std::string_view html) { return html_to_text(html).text; }

bool finishes_fast(std::string_view html, HtmlText* out = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  HtmlText r = html_to_text(html);
  const bool fast = std::chrono::steady_clock::now() - start < std::chrono::seconds(1);
  if (out) *out = std::move(r);
  return fast;
}

}  // namespace

TEST_CASE("html: block tags break lines, inline tags join words") {
  CHECK(text_of("<p>Hello</p><p>World</p>") == "Hello\nWorld");
  CHECK(text_of("V<b></b>iagra") == "Viagra");
  CHECK(text_of("fr<font color=red>ee</font> stuff") == "free stuff");
  CHECK(text_of("one<br>two<br/>three</br>four") == "one\ntwo\nthree\nfour");
  CHECK(text_of("<table><tr><td>a</td><td>b</td></tr></table>") == "a\nb");
  CHECK(text_of("<ul><li>x<li>y</ul>") == "x\ny");
  CHECK(text_of("<h1>Title</h1>body <span>text</span>") == "Title\nbody text");
  CHECK(text_of("  lots   of\n\n  space  ") == "lots of space");
  CHECK(text_of("<pre>a\nb</pre>") == "a\nb");
  CHECK(text_of("") == "");
}

TEST_CASE("html: comments removed without a separator, counted") {
  HtmlText r = html_to_text("V<!-- x -->iagra and <!-- hi --> more <!---->X<!-->Y");
  CHECK(r.text == "Viagra and more XY");
  CHECK(r.signals.comments == 4);
  CHECK(r.signals.comments_in_words == 2);  // V..iagra, X..Y (the "<!---->" sits after a space)
  r = html_to_text("caf\xC3\xA9<!-- -->\xC3\xA9t\xC3\xA9");
  CHECK(r.signals.comments_in_words == 1);
  r = html_to_text("before<!-- never closed <p>hidden");
  CHECK(r.text == "before");
  CHECK(r.signals.comments == 1);
  CHECK(text_of("a<!--[if mso]>Outlook only<![endif]-->b") == "ab");
}

TEST_CASE("html: script, style, head skipped; title kept") {
  HtmlText r = html_to_text(
      "<html><head><title>Great Offer</title><style>p { color: red } </p></style>"
      "<script type=\"text/javascript\">var a = '<p>no</p>';</script></head>"
      "<body><p>Buy now</p><SCRIPT>x()</SCRIPT ></body></html>");
  CHECK(r.text == "Great Offer\nBuy now");
  CHECK(r.signals.scripts == 2);
  CHECK(text_of("a<script>never closed") == "a");
  CHECK(text_of("<!DOCTYPE html><?xml version=\"1.0\"?>x") == "x");
}

TEST_CASE("html: entities") {
  CHECK(text_of("Tom &amp; Jerry &lt;3 &gt; &quot;x&quot; &apos;") == "Tom & Jerry <3 > \"x\" '");
  CHECK(text_of("caf&eacute; &copy; 2024 &euro;5 &hellip;&mdash;&trade;") == "café © 2024 €5 …—™");
  CHECK(text_of("&#65;&#x42;&#X43;&#100 &#x263a;") == "ABCd ☺");
  CHECK(text_of("&#0; &#xD800; &#1114112; &#99999999999999999999;") ==
        "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
  CHECK(text_of("&#150; &#153;") == "– ™");  // windows-1252 numbers
  CHECK(text_of("a&nbsp;b&nbsp;&nbsp;c") == "a\u00a0b\u00a0\u00a0c");  // kept: a browser does not collapse them
  CHECK(text_of("&copy2024 &amp") == "©2024 &");  // legacy names without ';'
  CHECK(text_of("&bogus; & &; &# &#x; &hellip") == "&bogus; & &; &# &#x; &hellip");
  CHECK(text_of("V&#105;agra") == "Viagra");
  CHECK(text_of("http&colon;//x") == "http://x");
}

TEST_CASE("html: entity garbage") {
  std::string s;
  for (int i = 0; i < 50000; ++i) s += "&#x&&#;&amp&zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz;";
  HtmlText r;
  CHECK(finishes_fast(s, &r));
  CHECK_FALSE(r.text.empty());
}

TEST_CASE("html: links, forms, images") {
  HtmlText r = html_to_text(
      "<a href=\"http://example.com/?a=1&amp;b=2\">x</a> <A HREF='https://Two.example/'>y</A>"
      "<a href=http://three.example/p>z</a><a name=anchor>no href</a>"
      "<area href=\" http://map.example/ \"><form action=\"http://form.example/post\"></form>"
      "<img src=\"http://img.example/p.gif\" width=1><img alt=x>"
      "<a href=\"ht&#x74;p://e&#10;vil.example\">e</a>");
  CHECK(r.signals.links == 5);
  CHECK(r.signals.forms == 1);
  CHECK(r.signals.images == 2);
  const std::vector<std::string> want = {"http://example.com/?a=1&b=2", "https://Two.example/",
                                         "http://three.example/p",      "http://map.example/",
                                         "http://form.example/post",    "http://img.example/p.gif",
                                         "http://evil.example"};
  CHECK(r.urls == want);
  // In attributes a named reference needs its ';'.
  r = html_to_text("<a href=\"/x?a=1&copy=2\">c</a>");
  REQUIRE(r.urls.size() == 1);
  CHECK(r.urls[0] == "/x?a=1&copy=2");
}

TEST_CASE("html: hidden text is left out and counted") {
  HtmlText r = html_to_text("Buy<div style=\"display:none\">poison words</div>now");
  CHECK(r.text == "Buy\nnow");
  CHECK(r.signals.hidden_chars == std::string("poisonwords").size());
  CHECK(text_of("a<span style='Display : NONE !important'>x</span>b") == "ab");
  CHECK(text_of("a<span style=\"color:red;visibility:hidden\">x</span>b") == "ab");
  CHECK(text_of("a<span hidden>x</span>b") == "ab");
  CHECK(text_of("a<span style=\"display:/**/none\">x</span>b") == "ab");
  CHECK(text_of("a<span style=\"display&#58;none\">x</span>b") == "ab");
  CHECK(text_of("a<span style=\"mso-hide:all\">x</span>b") == "ab");
  CHECK(text_of("a<span style=\"opacity:0\">x</span>b") == "ab");
  CHECK(text_of("a<span style=\"display:block\">x</span>b") == "axb");
  // nested content and unclosed inner tags inside the hidden element
  CHECK(text_of("<div style=display:none><p>one<b>two</div>shown") == "shown");
  // a later <p> closes a hidden open <p>
  CHECK(text_of("<p style=\"display:none\">hidden<p>visible") == "visible");
}

TEST_CASE("html: tiny fonts are left out and counted") {
  HtmlText r = html_to_text("Hi <font size=0>tiny</font> <font size=\"-3\">tiny2</font> <font size=3>ok</font>");
  CHECK(r.text == "Hi ok");
  CHECK(r.signals.tiny_font_chars == 9);
  // size=1 (about 10px) is everyday small print in ham: kept
  r = html_to_text("Hi <font size=1>small</font> <font size=-2>print</font>");
  CHECK(r.text == "Hi small print");
  CHECK(r.signals.tiny_font_chars == 0);
  CHECK(text_of("a <span style=\"font-size:1px\">x</span> b") == "a b");
  CHECK(text_of("a <span style=\"font-size: 0\">x</span> b") == "a b");
  CHECK(text_of("a <span style=\"font-size:2pt\">x</span> b") == "a b");
  CHECK(text_of("a <span style=\"font-size:0.1em\">x</span> b") == "a b");
  CHECK(text_of("a <span style=\"font:0/0 a\">x</span> b") == "a b");
  CHECK(text_of("a <span style=\"font-size:12px\">x</span> b") == "a x b");
  CHECK(text_of("a <span style=\"font-size:x-small\">x</span> b") == "a x b");
  // a readable size inside a tiny one is readable again
  CHECK(text_of("<font size=0>t<font size=4>big</font></font>") == "big");
  CHECK(text_of("<font size=0 style=\"font-size:14px\">css wins</font>") == "css wins");
}

TEST_CASE("html: invisible characters are counted, not removed") {
  HtmlText r = html_to_text("Vi\xE2\x80\x8B" "ag&zwnj;ra&#xFEFF;&shy;");
  CHECK(r.text == "Vi\xE2\x80\x8B" "ag\xE2\x80\x8Cra\xEF\xBB\xBF\xC2\xAD");
  CHECK(r.signals.invisible_chars == 4);
}

TEST_CASE("html: NUL bytes are dropped first") {
  const std::string html("V\0ia<scr\0ipt>x</script>gra", 26);
  HtmlText r = html_to_text(html);
  CHECK(r.text == "Viagra");
  CHECK(r.signals.scripts == 1);
}

TEST_CASE("html: stray '<' and broken tags") {
  CHECK(text_of("a < b and 1<2, <3 <<>>") == "a < b and 1<2, <3 <<>>");
  CHECK(text_of("x <a href=\"foo>never closed quote</a> y") == "x never closed quote y");
  CHECK(text_of("text <b unterminated") == "text");
  CHECK(text_of("</>a</ b>c</3>") == "ac");
  CHECK(text_of("<div title='a>b'>in</div>") == "in");
}

TEST_CASE("html: hostile input finishes fast") {
  HtmlText r;
  std::string divs;
  for (int i = 0; i < 300000; ++i) divs += "<div>";
  divs += "end";
  CHECK(finishes_fast(divs, &r));
  CHECK(r.text == "end");

  CHECK(finishes_fast(std::string(1 << 20, '<'), &r));
  CHECK(r.text.size() == (1u << 20));

  std::string spans;
  for (int i = 0; i < 300; ++i) spans += "<span>";
  for (int i = 0; i < 200000; ++i) spans += "</b>x";
  CHECK(finishes_fast(spans, &r));
  CHECK(r.text.size() == 200000);

  std::string quotes;
  for (int i = 0; i < 100000; ++i) quotes += "<a href=\"x>y";
  CHECK(finishes_fast(quotes, &r));
  CHECK_FALSE(r.text.empty());

  std::string comments;
  for (int i = 0; i < 200000; ++i) comments += "<!-";
  CHECK(finishes_fast(comments, &r));

  std::string scripts;
  for (int i = 0; i < 100000; ++i) scripts += "<script></scrip";
  CHECK(finishes_fast(scripts, &r));

  std::string styles;
  for (int i = 0; i < 20000; ++i) styles += "<span style=\"font-size:1px;display:none;/*\">a";
  CHECK(finishes_fast(styles, &r));
}

TEST_CASE("find_urls: schemes and www. in plain text") {
  std::vector<std::string> u;
  find_urls(
      "Visit http://example.com/path?x=1. Or HTTPS://Secure.example/, ftp://files.example/a.zip; "
      "also www.shop.example! and (see http://en.wikipedia.org/wiki/Foo_(bar)) or <http://angle.example/>",
      u);
  const std::vector<std::string> want = {"http://example.com/path?x=1", "HTTPS://Secure.example/",
                                         "ftp://files.example/a.zip",   "www.shop.example",
                                         "http://en.wikipedia.org/wiki/Foo_(bar)", "http://angle.example/"};
  CHECK(u == want);
}

TEST_CASE("find_urls: word starts, stops and junk") {
  std::vector<std::string> u;
  find_urls("awww.no.example xhttp://no.example http:// www. \"http://q.example/a\"'x", u);
  REQUIRE(u.size() == 1);
  CHECK(u[0] == "http://q.example/a");
  u.clear();
  find_urls("请访问www.cjk.example获取", u);  // a URL stops at non-ASCII text
  // "www" right after CJK bytes: not a word start for ASCII purposes, but non-ASCII is not alnum either
  REQUIRE(u.size() == 1);
  CHECK(u[0] == "www.cjk.example");
  u.clear();
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "http:/www";
  find_urls(big, u);
  CHECK(u.empty());
}

TEST_CASE("html: the distinct tag names used, in order, bounded") {
  CHECK(html_to_text("<P>a<b>b</B><p><img src=x><Font>c</font><x-y>d<br/>").signals.tags ==
        std::vector<std::string>{"p", "b", "img", "font", "br"});
  std::string many;
  for (int i = 0; i < 500; ++i) many += "<t" + std::to_string(i) + ">";
  const auto tags = html_to_text(many).signals.tags;
  CHECK(tags.size() == spamcore::mail::HtmlSignals::kMaxTagNames);
  CHECK(tags.front() == "t0");
  CHECK(html_to_text("<averyveryverylongtagname>x").signals.tags.empty());
}
