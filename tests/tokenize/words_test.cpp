#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tokenize/url.hpp"
#include "tokenize/words.hpp"

using namespace spamcore::tokenize::detail;

namespace {

struct Collect final : WordSink {
  std::vector<std::string> words;
  void word(std::string_view w) override { words.emplace_back(w); }
};

std::vector<std::string> split(std::string_view text, WordRules rules = {}) {
  Collect c;
  split_words(text, rules, c);
  return c.words;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("words: case folding, joiners, short words dropped") {
  CHECK(split("Hello, World! It's an e-mail from x.y.com.") ==
        Words{"hello", "world", "it's", "an", "e-mail", "from", "x.y.com"});
  CHECK(split("ÉCOLE Straße ПРИВЕТ Ωμέγα") == Words{"école", "straße", "привет", "ωμέγα"});
  CHECK(split("FREE free FrEe") == Words{"free", "free", "free"});
  CHECK(split("a I") == Words{});
}

TEST_CASE("words: invisible characters do not split or survive") {
  CHECK(split("Vi\u200Bag\u200Dra") == Words{"viagra"});
  CHECK(split("fr\u00ADee of\uFEFFfer") == Words{"free", "offer"});
}

TEST_CASE("words: look-alikes folded in mixed-script words only") {
  CHECK(split("v\u0456\u0430gr\u0430") == Words{"viagra"});           // Cyrillic і, а
  CHECK(split("\u03BFffer") == Words{"offer"});                        // Greek omicron
  CHECK(split("\u0441\u043E\u0440") == Words{"\u0441\u043E\u0440"});  // all Cyrillic: left alone
  CHECK(split("ＦＲＥＥ") == Words{"free"});                              // fullwidth
}

TEST_CASE("words: letter spacing and dotted letters rejoined") {
  CHECK(split("buy V I A G R A now") == Words{"buy", "viagra", "now"});
  CHECK(split("V.I.A.G.R.A") == Words{"viagra"});
  CHECK(split("a b c") == Words{});  // three single letters: not a spaced word
  CHECK(split("x  y  z  w") == Words{});  // two blanks apart: not joined
  // Punctuation after a letter ends the spaced word, as a second blank does.
  CHECK(split("on a f i x e d   i n c o m e. T h e r e may be") ==
        Words{"on", "afixed", "income", "there", "may", "be"});
  CHECK(split("b r o k e, r e t i r e d") == Words{"broke", "retired"});
  // Dotted and spaced: the dots belong to the word, the last letter may lack one.
  CHECK(split("buy V. I. A. G. R. A. now") == Words{"buy", "viagra", "now"});
  CHECK(split("buy V. I. A. G. R. A now") == Words{"buy", "viagra", "now"});
  CHECK(split("the end x. T h e r e is") == Words{"the", "end", "there", "is"});
  CHECK(split("buy a V. I. A. G. R. A. now") == Words{"buy", "viagra", "now"});
  CHECK(split("U. S. F R E E   O F F E R") == Words{"free", "offer"});  // "us": a run under 4 letters
  CHECK(split("i. e. F R E E") == Words{"free"});
  CHECK(split("P. S. I l o v e y o u") == Words{"iloveyou"});
  CHECK(split("A. M. B E S T") == Words{"best"});
  CHECK(split("V. I. A. G. R. A now") == Words{"viagra", "now"});  // the last letter may lack its dot
  CHECK(split("J. R. R. Tolkien") == Words{"tolkien"});  // three initials: not a spaced word
  CHECK(split("a- b- c- d-") == Words{});                  // only dots make a dotted run
  // A held letter that starts a run too short to be a word goes back to the run before.
  CHECK(split("V. I. A. G. R. A a b") == Words{"viagra"});
  CHECK(split("F R E E V. I. A. G. R. A.") == Words{"free", "viagra"});
  CHECK(split("x y V. I. A. G. R. A.") == Words{"viagra"});
  CHECK(split("F R E E V. I. A. G. R. A. T H E N") == Words{"free", "viagra", "then"});
  // Look-alikes are folded in a spaced run that mixes scripts; '$A' and CJK are not spaced letters or blanks.
  CHECK(split("V I A G R \u0410") == Words{"viagra"});
  CHECK(split("V I A G R $A") == Words{"viagr"});  // "$a" is one character: under the minimum length
  CHECK(split("A B C\u4E2DD") == Words{});
}

TEST_CASE("words: letter-spaced compounds rejoined across their joiner") {
  // Spacing the letters of "toll-free" leaves "l-f" between two runs; of "e-mail", a word "e-m" before one. The
  // rejoining only adds tokens: the pieces are emitted as they would have been.
  CHECK(split("T O L L-F R E E   c a l l") == Words{"l-f", "toll-free", "call"});
  CHECK(split("e-m a i l   u s   t o d a y") == Words{"e-m", "e-mail", "today"});
  CHECK(split("s i g n-up today") == Words{"n-up", "sign-up", "today"});  // the second part was not spaced
  CHECK(split("d o n't stop") == Words{"n't", "don't", "stop"});
  CHECK(split("2.W r i n k l e s") == Words{"2.w", "2.wrinkles"});
  CHECK(split("1-877-451-T E E N") == Words{"1-877-451-t", "1-877-451-teen"});
  CHECK(split("a b c d-e f") == Words{"d-e", "abcd-ef"});
  // Real text that looks alike loses nothing: a spaced word before a hyphened one stays, and so does the other.
  CHECK(split("V I A G R A e-shop") == Words{"viagra", "e-shop", "viagrae-shop"});
  // One letter is no run to continue; a seed needs two spaced letters after it; an apostrophe never seeds.
  CHECK(split("buy a T-shirt") == Words{"buy", "t-shirt"});
  CHECK(split("I e-mailed you") == Words{"e-mailed", "you"});
  CHECK(split("\u00e0 l'\u00e9cole") == Words{"l'\u00e9cole"});
  CHECK(split("Plan-B e-mail") == Words{"plan-b", "e-mail"});
  CHECK(split("it's a great day") == Words{"it's", "great", "day"});
  CHECK(split("the e-m a day") == Words{"the", "e-m", "day"});
  CHECK(split("U.S. a new law") == Words{"u.s", "new", "law"});
  // A word that starts with a digit and a joiner does not continue a run (it may start one).
  CHECK(split("a b c d 4-e") == Words{"abcd", "4-e"});
}

TEST_CASE("words: numbers bucketed, money kept, long words skipped") {
  CHECK(split("call 5551234567 or 555-123-4567, only $100 or $1,000,000") ==
        Words{"call", "num:10", "or", "num:10", "only", "$100", "or", "$num:7"});
  CHECK(split("in 2002 and 12") == Words{"in", "2002", "and", "12"});
  CHECK(split(std::string(45, 'x')) == Words{"skip:x:40"});
  CHECK(split(std::string(45, 'x'), WordRules{2, 50}) == Words{std::string(45, 'x')});
}

TEST_CASE("words: CJK as bigrams") {
  CHECK(split("不看會後悔") == Words{"不看", "看會", "會後", "後悔"});
  CHECK(split("abc 日本") == Words{"abc", "日本"});
}

TEST_CASE("words: invalid UTF-8 and control bytes are separators, never a crash") {
  CHECK(split("ab\xff\xfe" "cd\x01" "ef") == Words{"ab", "cd", "ef"});
  CHECK(split(std::string("gh\0ij", 5)) == Words{"gh", "ij"});
  CHECK(split("\xe2\x82") == Words{});
}

TEST_CASE("url hosts and registrable domains") {
  CHECK(url_host("http://user:pw@Www.Example.COM:8080/path?q") == "www.example.com");
  CHECK(url_host("www.example.org/x") == "www.example.org");
  CHECK(url_host("https://%77%77%77.evil.example./") == "www.evil.example");
  CHECK(url_host("mailto:") == "mailto");
  CHECK(registrable_domain("a.b.example.com") == "example.com");
  CHECK(registrable_domain("shop.example.co.uk") == "example.co.uk");
  CHECK(registrable_domain("localhost") == "localhost");
  CHECK(is_ip_host("192.0.2.1"));
  CHECK(is_ip_host("3232235777"));
  CHECK(!is_ip_host("example.com"));
  CHECK(registrable_domain("192.0.2.1") == "192.0.2.1");
}
