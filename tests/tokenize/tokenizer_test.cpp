#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "spamcore/base/error.hpp"
#include "spamcore/base/hash.hpp"
#include "spamcore/tokenize/tokenizer.hpp"
#include "test_util.hpp"

using namespace spamcore;
using namespace spamcore::tokenize;
using spamcore::test::fixture;

namespace {

std::set<std::string> names(std::string_view raw, const TokenizerSettings& s = {}) {
  const FeatureBag bag = features(raw, s, {.names = true});
  return {bag.names.begin(), bag.names.end()};
}

// The id of the feature called `name` in a bag built with names.
FeatureId id_named(const FeatureBag& named, const std::string& name) {
  const auto it = std::find(named.names.begin(), named.names.end(), name);
  REQUIRE(it != named.names.end());
  return named.ids[static_cast<std::size_t>(it - named.names.begin())];
}

}  // namespace

TEST_CASE("feature_names: the wanted features the message has, each once, named as the full pass names them") {
  const std::string raw = fixture("mail/multipart_alternative.eml");
  const FeatureBag all = features(raw, TokenizerSettings{}, {.names = true});
  std::map<FeatureId, std::string> expect;
  for (std::size_t i = 0; i < all.ids.size(); ++i)
    if (all.names[i] == "osb:buy 1 viagra" || all.names[i] == "subject:deals" || all.names[i] == "mime:text/html")
      expect.emplace(all.ids[i], all.names[i]);
  REQUIRE(expect.size() == 3);
  std::vector<FeatureId> wanted;
  for (const auto& [id, name] : expect) wanted.push_back(id);
  // Absent from the message: never named. Ids chosen to pass the low-bits filter of a wanted one.
  wanted.push_back(wanted[0] ^ (std::uint64_t{1} << 40));
  wanted.push_back(hash64("never-a-feature-of-this-message"));
  // Unsorted, with a repeat: the function sorts its own copy.
  wanted.push_back(wanted[1]);
  std::reverse(wanted.begin(), wanted.end());
  const auto named = feature_names(raw, TokenizerSettings{}, wanted);
  CHECK(std::map<FeatureId, std::string>(named.begin(), named.end()) == expect);
  CHECK(named.size() == expect.size());
  CHECK(feature_names(raw, TokenizerSettings{}, {}).empty());
  // Every feature wanted: every name of the full pass, and nothing else.
  const auto every = feature_names(raw, TokenizerSettings{}, all.ids);
  std::map<FeatureId, std::string> full;
  for (std::size_t i = 0; i < all.ids.size(); ++i) full.emplace(all.ids[i], all.names[i]);
  CHECK(std::map<FeatureId, std::string>(every.begin(), every.end()) == full);
  CHECK(every.size() == all.ids.size());
}

TEST_CASE("features: every family present with readable names, ids are hashes of names") {
  const std::string raw = fixture("mail/multipart_alternative.eml");
  const FeatureBag bag = features(raw, TokenizerSettings{}, {.names = true});
  REQUIRE(bag.ids.size() == bag.names.size());
  CHECK(std::is_sorted(bag.ids.begin(), bag.ids.end()));
  CHECK(std::adjacent_find(bag.ids.begin(), bag.ids.end()) == bag.ids.end());
  const std::set<std::string> n(bag.names.begin(), bag.names.end());
  for (const char* want : {"subject:café", "subject:deals", "from:spam.example", "hdr:mime-version", "viagra",
                           "crème", "url:click.spam.example", "url-domain:spam.example", "mime:text/html",
                           "charset:iso-8859-1", "cte:base64", "html:comment-in-word", "osb:buy 1 viagra",
                           "osb:buy 2 now"})
    CHECK_MESSAGE(n.count(want) == 1, want);
  CHECK(n.count("hammy") == 0);  // hidden text
  for (std::size_t i = 0; i < bag.ids.size(); ++i)
    if (bag.names[i].rfind("osb:", 0) != 0) CHECK(bag.ids[i] == hash64(bag.names[i]));
  // Without names, the same ids.
  CHECK(features(raw, TokenizerSettings{}).ids == bag.ids);
}

TEST_CASE("features: X-Spam-* headers are never features (forged, or our own)") {
  const auto n = names("X-Spam-Status: Yes, score=20\nX-Spam-Flag: YES\nSubject: hi there\n\nbody text\n");
  for (const auto& name : n) CHECK(name.rfind("x-spam", 0) != 0);
  CHECK(n.count("hdr:x-spam-flag") == 0);
  CHECK(n.count("subject:there") == 1);
}

TEST_CASE("features: families can be switched off") {
  const std::string raw = fixture("mail/multipart_alternative.eml");
  TokenizerSettings s;
  s.osb_window = 0;
  s.url_features = false;
  s.mime_features = false;
  s.header_tokens = false;
  s.structure_features = false;
  s.header_shapes = false;
  s.mailer_versions = false;
  for (const auto& name : names(raw, s)) {
    CHECK(name.find(':') == std::string::npos);
  }
  s = {};
  s.body_words = false;
  CHECK(names(raw, s).count("viagra") == 0);
}

TEST_CASE("features: raw byte n-grams") {
  TokenizerSettings s;
  s.byte_ngrams = 4;
  s.byte_ngram_prefix = 10;
  const auto n = names("Subject: abcdefgh\n\n", s);
  CHECK(n.count("b4:5375626a") == 1);  // "Subj"
  std::size_t grams = 0;
  for (const auto& name : n) grams += name.rfind("b4:", 0) == 0;
  CHECK(grams == 7);
}

TEST_CASE("features: evasions map to the plain word") {
  const auto plain = names("Subject: x\n\nbuy viagra now\n");
  for (const char* body : {"buy v\u200Biagra now", "buy V I A G R A now", "buy v\u0456\u0430gr\u0430 now",
                           "buy V.I.A.G.R.A now"}) {
    const auto n = names(std::string("Subject: x\n\n") + body + "\n");
    CHECK_MESSAGE(n.count("viagra") == 1, body);
  }
  const auto html = names("Subject: x\nContent-Type: text/html\n\n<p>buy V<!-- x -->iag<b></b>ra now</p>\n");
  CHECK(html.count("viagra") == 1);
  CHECK(plain.count("osb:buy 1 viagra") == 1);
}

TEST_CASE("settings round trip and refuse what they do not know") {
  TokenizerSettings s;
  s.osb_window = 3;
  s.byte_ngrams = 4;
  s.limits.max_bytes = 12345;
  CHECK(TokenizerSettings::deserialize(s.serialize()) == s);
  CHECK_THROWS_AS(TokenizerSettings::deserialize("bogus=1\n"), Error);
  CHECK_THROWS_AS(TokenizerSettings::deserialize("osb_window=x\n"), Error);
  CHECK_THROWS_AS(TokenizerSettings::deserialize("version=99\n"), Error);
  TokenizerSettings before_structure;  // what a model written before structure_features existed was trained with
  before_structure.structure_features = false;
  before_structure.charset_words = true;
  before_structure.header_shapes = false;
  before_structure.mailer_versions = false;
  CHECK(TokenizerSettings::deserialize("") == before_structure);
  // A version-1 model (no structure_features, charset_words or header_shapes key) still loads, as it was trained, its
  // version kept.
  std::string v1 = before_structure.serialize();
  v1.replace(v1.find("version=5"), 9, "version=1");
  v1.erase(v1.find("structure_features=0\n"), 21);
  v1.erase(v1.find("charset_words=1\n"), 16);
  v1.erase(v1.find("header_shapes=0\n"), 16);
  v1.erase(v1.find("mailer_versions=0\n"), 18);
  const TokenizerSettings old = TokenizerSettings::deserialize(v1);
  CHECK(old.version == 1);
  CHECK(!old.structure_features);
  CHECK(old.charset_words);
  CHECK(!old.header_shapes);
  CHECK_FALSE(TokenizerSettings::deserialize("version=4\ncharset_words=0\n").charset_words);
  CHECK_FALSE(TokenizerSettings::deserialize("version=4\ncharset_words=0\n").header_shapes);
  CHECK(TokenizerSettings::deserialize("version=5\nheader_shapes=1\n").header_shapes);
  CHECK_THROWS_AS(TokenizerSettings::deserialize("version=6\n"), Error);
  // A newer model's new keys are reported as what they are: a newer version.
  try {
    TokenizerSettings::deserialize("version=6\nsome_new_key=1\n");
    FAIL("a newer version must be refused");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("version 6 is newer") != std::string::npos);
  }
  // An older model saved again keeps to the keys its version had while they hold the value it was trained with, so
  // the spamcore that wrote it still reads it; a key set otherwise is written.
  TokenizerSettings v4 = TokenizerSettings::deserialize("version=4\ncharset_words=0\n");
  CHECK(v4.serialize().find("header_shapes") == std::string::npos);
  CHECK(v4.serialize().find("mailer_versions") == std::string::npos);
  CHECK_FALSE(v4.mailer_versions);
  CHECK(v4.serialize().find("charset_words=0") != std::string::npos);
  CHECK(TokenizerSettings::deserialize(v4.serialize()) == v4);
  TokenizerSettings v3 = TokenizerSettings::deserialize("version=3\n");
  CHECK(v3.serialize().find("charset_words") == std::string::npos);
  CHECK(v3.serialize().find("header_shapes") == std::string::npos);
  CHECK(TokenizerSettings::deserialize(v3.serialize()) == v3);
  v3.header_shapes = true;
  CHECK(v3.serialize().find("header_shapes=1") != std::string::npos);
  CHECK(TokenizerSettings().serialize().find("header_shapes=1") != std::string::npos);
  CHECK(TokenizerSettings::deserialize("osb_window=16\n").osb_window == 16);
  CHECK_THROWS_AS(TokenizerSettings::deserialize("osb_window=17\n"), Error);  // a model cannot ask for millions
  CHECK(TokenizerSettings::deserialize("version=2\nstructure_features=1\n").structure_features);
  s.structure_features = false;
  CHECK(TokenizerSettings::deserialize(s.serialize()) == s);
}

TEST_CASE("structure features: the HTML tags used and the Message-ID's shape") {
  const std::string raw =
      "Message-ID: <Pine.LNX.4.33.0209170748460.14309-100000@hydrogen.leitl.org>\nSubject: x\n"
      "Content-Type: text/html\n\n<TABLE><tr><td><FONT color=red>buy</font></td></tr></table><font>x</font>\n";
  const auto n = names(raw);
  for (const char* want : {"tag:table", "tag:tr", "tag:td", "tag:font", "message-id-shape:<Aa.A.9.9.9.9-9@a.a.a>"})
    CHECK_MESSAGE(n.count(want) == 1, want);
  std::size_t tags = 0;
  for (const std::string& name : n) tags += name.starts_with("tag:");
  CHECK(tags == 4);
  TokenizerSettings off;
  off.structure_features = false;
  for (const std::string& name : names(raw, off)) {
    CHECK_FALSE(name.starts_with("tag:"));
    CHECK_FALSE(name.starts_with("message-id-shape:"));
  }
  // Non-ASCII and control bytes have a class too; the shape stops at 40 characters.
  const auto odd = names("Message-ID: <\xc3\xa9t\xc3\xa9\t" + std::string(100, 'x') + "1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p7q8r9s0t>\n\nx\n");
  std::string want = "<~a~ a";  // é t é tab, then x... and alternating digits and letters
  while (want.size() < 40) want += want.back() == 'a' ? '9' : 'a';
  CHECK(odd.count("message-id-shape:" + want) == 1);
}

TEST_CASE("header shapes: the form of the fields mail software writes, not of those people write") {
  const std::string raw =
      "Received: from mail.example.com ([10.1.2.3]) by mx.example.org (Postfix) with ESMTP id 8C13F16F03\n"
      "Received: from localhost by mx.example.org\n"
      "From: \"Mr. FoRK\" <fork_list@hotmail.com>\nDate: Fri, 20 Sep 2002 21:34:51 -0700\n"
      "X-Mailer: Microsoft Outlook Express 5.50.4133.2400\nSubject: Free money 4 you\nX-Other: a.b@c 1\n\nhi\n";
  const auto n = names(raw);
  for (const char* want : {"shape:received:a a.a.a ([9.9.9.9]) a a.a.a (Aa) a A a 9",
                           "shape:received:a a a a.a.a", "shape:from:\"Aa. AaA\" <a_a@a.a>",
                           "shape:date:Aa, 9 Aa 9 9:9:9 -9", "shape:x-mailer:Aa Aa Aa 9.9.9.9"})
    CHECK_MESSAGE(n.count(want) == 1, std::string(want));
  std::size_t shapes = 0;
  for (const std::string& name : n) shapes += name.starts_with("shape:");
  // The Received lines' clauses, each on its own, named by the keyword that starts it.
  for (const char* want : {"shape:received-from:a a.a.a ([9.9.9.9])", "shape:received-by:a a.a.a (Aa)",
                           "shape:received-with:a A", "shape:received-id:a 9A9A9A9", "shape:received-from:a a",
                           "shape:received-by:a a.a.a"})
    CHECK_MESSAGE(n.count(want) == 1, std::string(want));
  CHECK(shapes == 11);  // not the Subject, not a field no mail program is known to write
  // Every clause keyword; a line that starts with one names its first clause after it; blanks around a clause and an
  // empty clause (a trailing ';') are not part of any form.
  const auto local = names(
      "Received: by mx.example.org (Postfix, from userid 0)  id 8C13F ;\n"
      "Received: (qmail 1234 invoked by uid 0)  for <a@b.c>; Fri, 20 Sep 2002 21:34:51 -0700\n\nhi\n");
  for (const char* want : {"shape:received-by:a a.a.a (Aa, a a 9)", "shape:received-id:a 9A9A",
                           "shape:received-start:(a 9 a", "shape:received-by:a a 9)", "shape:received-for:a <a@a.a>",
                           "shape:received-date:Aa, 9 Aa 9 9:9:9 -9"})
    CHECK_MESSAGE(local.count(want) == 1, std::string(want));
  std::size_t clauses = 0;
  for (const std::string& name : local) clauses += name.starts_with("shape:received-");
  CHECK(clauses == 6);
  // At most 8 clauses of a line, however many keywords it has (twelve of different forms here).
  std::string distinct = "Received: from a";
  const char* words[] = {"a1", "1a", "a.1", "1.a", "a-1", "1-a", "a_1", "1_a", "a/1", "1/a", "a:1", "1:a"};
  for (const char* w : words) distinct += std::string(" by ") + w;
  std::size_t capped = 0;
  for (const std::string& name : names(distinct + "\n\nhi\n")) capped += name.starts_with("shape:received-");
  CHECK(capped == 8);
  // Field names are matched without case; a shape stops at 40 characters, however long the line.
  std::string line, want;
  for (int i = 0; i < 100; ++i) line += "x1";
  while (want.size() < 40) want += want.size() % 2 ? '9' : 'a';
  CHECK(names("RECEIVED: " + line + "\n\nhi\n").count("shape:received:" + want) == 1);
  TokenizerSettings off;
  off.header_shapes = false;
  for (const std::string& name : names(raw, off)) CHECK_FALSE(name.starts_with("shape:"));
}

TEST_CASE("mailer versions: the mail program's name and version as one feature, lower case, at most 60 bytes") {
  const std::string raw = "X-Mailer: Microsoft Outlook Express 5.50.4133.2400\nUser-Agent: Mutt/1.4i\n"
                          "X-MimeOLE: Produced By Microsoft MimeOLE V5.50.4133.2400\nSubject: Mutt/1.4i\n\nhi\n";
  const auto n = names(raw);
  for (const char* want : {"mailer:x-mailer:microsoft outlook express 5.50.4133.2400", "mailer:user-agent:mutt/1.4i",
                           "mailer:x-mimeole:produced by microsoft mimeole v5.50.4133.2400"})
    CHECK_MESSAGE(n.count(want) == 1, std::string(want));
  std::size_t mailers = 0;
  for (const std::string& name : n) mailers += name.starts_with("mailer:");
  CHECK(mailers == 3);  // not the Subject
  CHECK(names("x-mailer: " + std::string(100, 'Z') + "\n\nhi\n").count("mailer:x-mailer:" + std::string(60, 'z')) == 1);
  TokenizerSettings off;
  off.mailer_versions = false;
  for (const std::string& name : names(raw, off)) CHECK_FALSE(name.starts_with("mailer:"));
}

TEST_CASE("features: the body's word sequence, with each word's pairs to the words before it, only when asked") {
  const std::string raw = "Subject: header words are not in it\n\nalpha beta gamma\n";
  const FeatureBag named = features(raw, TokenizerSettings{}, {.names = true});
  auto id_of = [&](const std::string& name) { return id_named(named, name); };
  CHECK(named.sequence.words.empty());  // not asked for
  const FeatureBag bag = features(raw, TokenizerSettings{}, {.sequence = true});
  CHECK(bag.ids == named.ids);  // the sequence changes no feature
  const WordSequence& seq = bag.sequence;
  CHECK(seq.slots == 2);  // the default OSB window of 3: pairs at distances 1 and 2
  CHECK(seq.words == std::vector<FeatureId>{id_of("alpha"), id_of("beta"), id_of("gamma")});
  CHECK(seq.pairs == std::vector<FeatureId>{0, 0,                                              // alpha: first word
                                            id_of("osb:alpha 1 beta"), 0,                      // beta
                                            id_of("osb:beta 1 gamma"), id_of("osb:alpha 2 gamma")});
  TokenizerSettings no_pairs;
  no_pairs.osb_window = 1;
  CHECK(features(raw, no_pairs, {.sequence = true}).sequence.words.empty());  // no pairs, nothing to check
}

TEST_CASE("features: sources tag word pairs and each header field's words, only when asked") {
  const std::string raw = "Subject: cheap pills\nList-Id: Friends of the list\n\nalpha beta\n";
  const FeatureBag named = features(raw, TokenizerSettings{}, {.names = true});
  auto id_of = [&](const std::string& name) { return id_named(named, name); };
  CHECK(named.sources.empty());  // not asked for
  const FeatureBag bag = features(raw, TokenizerSettings{}, {.sources = true});
  CHECK(bag.ids == named.ids);  // the sources change no feature
  CHECK(std::is_sorted(bag.sources.begin(), bag.sources.end(),
                       [](const FeatureSource& a, const FeatureSource& b) { return a.id < b.id; }));
  auto source_of = [&](const std::string& name) -> std::uint32_t {
    const FeatureId id = id_of(name);
    for (const FeatureSource& s : bag.sources)
      if (s.id == id) return s.source;
    return 0;
  };
  CHECK(source_of("osb:alpha 1 beta") == kPairSource);
  CHECK(source_of("alpha") == 0);            // a body word stands for itself
  CHECK(source_of("hdr:list-id") == 0);      // one per field anyway
  const std::uint32_t subject = source_of("subject:cheap"), list = source_of("list-id:friends");
  CHECK(subject >= kFirstFieldSource);
  CHECK(source_of("subject:pills") == subject);
  CHECK(source_of("list-id:list") == list);
  CHECK(list >= kFirstFieldSource);
  CHECK(list != subject);
  // Each feature once, as the ids are.
  for (std::size_t i = 1; i < bag.sources.size(); ++i) CHECK(bag.sources[i - 1].id < bag.sources[i].id);
}

TEST_CASE("features: a Content-Type's charset is the MIME feature alone, unless the model was trained otherwise") {
  const std::string raw = "Subject: x\nContent-Type: text/plain; format=flowed; CHARSET = \"UTF-8\"; delsp=yes\n\nhi\n";
  const auto n = names(raw);
  CHECK(n.count("charset:utf-8") == 1);
  CHECK(n.count("content-type:utf-8") == 0);
  for (const char* kept : {"content-type:text", "content-type:plain", "content-type:charset", "content-type:flowed",
                           "content-type:delsp", "content-type:yes"})
    CHECK_MESSAGE(n.count(kept) == 1, kept);
  TokenizerSettings old;
  old.charset_words = true;
  CHECK(names(raw, old).count("content-type:utf-8") == 1);
  // Other fields keep their words: the charset of a part is read from the Content-Type field alone.
  CHECK(names("Subject: charset=koi8-r\n\nhi\n").count("subject:koi8-r") == 1);
  auto words_of = [](const std::string& content_type) {
    std::set<std::string> out;
    for (const std::string& name : names("Subject: x\nContent-Type: " + content_type + "\n\nhi\n"))
      if (name.rfind("content-type:", 0) == 0) out.insert(name.substr(13));
    return out;
  };
  // Only a parameter named charset loses its value, however the parser finds it; a quoted string is one piece,
  // whatever it says.
  CHECK(words_of("text/plain; x-charset=koi8-r").count("koi8-r") == 1);
  CHECK(words_of("multipart/mixed; boundary=\"charset=koi8-r\"").count("koi8-r") == 1);
  CHECK(words_of("text/plain;charset=\"koi8-r\"").count("koi8-r") == 0);
  CHECK(words_of("text/plain charset=koi8-r").count("koi8-r") == 0);  // the ';' missing: the parser reads it still
  const auto folded = words_of("text/plain; charset=koi8-r;\r\n\tformat=flowed");
  CHECK(folded.count("koi8-r") == 0);
  CHECK(folded.count("flowed") == 1);
  // Hostile values: repeated, empty, unterminated. Nothing throws; nothing of a charset value is left.
  for (const char* v : {"text/plain; charset=charset=charset=charset=koi8-r", "text/plain; charset=",
                        "text/plain; charset", ";;;; charset=;charset=\"", "\"a; charset=koi8-r",
                        "text/plain; charset=\"koi8-r", "; CHARSET\t=\tkoi8-r;charset=koi8-r"}) {
    std::set<std::string> w;
    CHECK_NOTHROW(w = words_of(v));
    if (std::string_view(v).front() != '"') CHECK_MESSAGE(w.count("koi8-r") == 0, v);
  }
}
