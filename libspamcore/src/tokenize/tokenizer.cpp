// tokenize::features -- a decoded message to a set of hashed features. The flow:
//   headers  -> per field: "hdr:<name>", then its words as "<name>:<word>"   (X-Spam-* skipped: forged or ours)
//   text     -> words (words.cpp: the evasion-resistant splitting) -> word ids -> OSB pairs over the sequence
//   urls     -> "url:<host>", "url-domain:<registrable domain>", "url:ip"
//   mime     -> content types, attachment extensions, charsets, encodings, HTML signals, parse issues
//   structure-> the HTML tags used, the Message-ID's shape
//   shapes   -> "shape:<field>:<shape>" for the header fields mail software writes (Received, From, Date, ...)
//   mailer   -> "mailer:<field>:<program and version>" from X-Mailer, User-Agent, X-MimeOLE
//   bytes    -> optional raw-byte n-grams of the first bytes
// Ids are hash64 of the readable name, except OSB pairs, which combine their two word ids (no string built on the
// training path); names are built only when asked for.
#include "spamcore/tokenize/tokenizer.hpp"

#include <algorithm>
#include <array>
#include <bit>

#include "spamcore/base/hash.hpp"
#include "spamcore/mail/parse.hpp"
#include "tokenize/url.hpp"
#include "tokenize/words.hpp"

namespace spamcore::tokenize {
namespace {

using detail::WordSink;

// Where features go: ids into a bag (with every name, when asked), or -- naming a few features -- only the wanted
// ones with their names, and no bag at all.
class Emitter {
 public:
  using Named = std::vector<std::pair<FeatureId, std::string>>;
  Emitter(FeatureBag& bag, BagDetail detail)
      : bag_(&bag), with_names_(detail.names), with_sequence_(detail.sequence), with_sources_(detail.sources) {}
  Emitter(Named& named, std::span<const FeatureId> wanted)
      : named_(&named), with_names_(true), wanted_(wanted), named_yet_(wanted.size(), false) {
    for (const FeatureId id : wanted) filter_ |= std::uint64_t{1} << (id & 63);
  }

  FeatureId emit(std::string_view prefix, std::string_view text) {
    if (prefix.empty() && bag_ && !with_names_) {
      // A body word for learning or scoring: its id is the hash of the word itself, no name to build.
      const FeatureId id = hash64(text);
      bag_->ids.push_back(id);
      return id;
    }
    name_.assign(prefix);
    name_.append(text);
    const FeatureId id = hash64(name_);
    emit_id(id, name_);
    return id;
  }
  /// `name` may be empty when !wants(id).
  void emit_id(FeatureId id, const std::string& name) {
    if (bag_) {
      bag_->ids.push_back(id);
      if (with_names_) bag_->names.push_back(name);
    } else if (wants(id)) {
      name_once(id, name);
    }
  }
  bool with_names() const { return with_names_; }
  /// The body words' order is wanted (FeatureBag::sequence).
  WordSequence* sequence() { return bag_ && with_sequence_ ? &bag_->sequence : nullptr; }
  /// Records where `id` came from, when the bag wants that (FeatureBag::sources).
  void source(FeatureId id, std::uint32_t source) {
    if (bag_ && with_sources_) bag_->sources.push_back({id, source});
  }
  /// With a wanted list: a wanted id not named yet (so names are built once per feature, not per occurrence).
  bool wants(FeatureId id) const {
    if (bag_) return with_names_;
    // One bit per id's low six bits turns most features away before the search.
    if (!(filter_ >> (id & 63) & 1)) return false;
    const auto it = std::lower_bound(wanted_.begin(), wanted_.end(), id);
    return it != wanted_.end() && *it == id && !named_yet_[static_cast<std::size_t>(it - wanted_.begin())];
  }

 private:
  // The first name of an id wins, as FeatureBag::finish keeps it (two names, one id: a hash collision).
  void name_once(FeatureId id, const std::string& name) {
    named_yet_[static_cast<std::size_t>(std::lower_bound(wanted_.begin(), wanted_.end(), id) - wanted_.begin())] = true;
    named_->emplace_back(id, name);
  }

  FeatureBag* bag_ = nullptr;
  Named* named_ = nullptr;
  bool with_names_;
  bool with_sequence_ = false;
  bool with_sources_ = false;
  std::span<const FeatureId> wanted_;
  std::vector<bool> named_yet_;
  std::uint64_t filter_ = 0;
  std::string name_;
};

// The words of one header field, named after it, but for those of `left_out` (sorted).
class FieldWords final : public WordSink {
 public:
  FieldWords(Emitter& out, const std::string& field, std::span<const std::string> left_out = {})
      : out_(out),
        prefix_(field + ":"),
        source_(std::max(static_cast<std::uint32_t>(hash64(field)), kFirstFieldSource)),
        left_out_(left_out) {}
  void word(std::string_view w) override {
    if (!left_out_.empty() && std::binary_search(left_out_.begin(), left_out_.end(), w)) return;
    out_.source(out_.emit(prefix_, w), source_);
  }

 private:
  Emitter& out_;
  std::string prefix_;
  std::uint32_t source_;
  std::span<const std::string> left_out_;
};

// Collects the words split_words finds.
class WordList final : public WordSink {
 public:
  void word(std::string_view w) override { words.emplace_back(w); }
  std::vector<std::string> words;
};

// Body words: each emitted, and kept in sequence for the OSB pairs.
class BodyWords final : public WordSink {
 public:
  BodyWords(Emitter& out, std::uint32_t window) : out_(out), window_(window), sequence_(out.sequence()) {
    if (sequence_ && window_ >= 2) sequence_->slots = window_ - 1;
  }

  void word(std::string_view w) override {
    const FeatureId id = out_.emit({}, w);
    if (window_ < 2) return;
    if (sequence_) sequence_->words.push_back(id);
    // Orthogonal sparse bigrams: this word with each of the window-1 words before it, distance in the id.
    const std::size_t n = ids_.size();
    for (std::uint32_t k = 1; k < window_ && k <= n; ++k) {
      const FeatureId pair = mix64(std::rotl(ids_[n - k], 21) ^ (id * 0x9e3779b97f4a7c15ull) ^ k);
      if (out_.wants(pair)) {
        out_.emit_id(pair, "osb:" + words_[n - k] + " " + std::to_string(k) + " " + std::string(w));
      } else {
        out_.emit_id(pair, {});
      }
      if (sequence_) sequence_->pairs.push_back(pair);
      out_.source(pair, kPairSource);
    }
    if (sequence_ && n + 1 < window_) sequence_->pairs.resize(sequence_->words.size() * sequence_->slots, 0);
    ids_.push_back(id);
    if (out_.with_names()) words_.emplace_back(w);
  }

 private:
  Emitter& out_;
  std::uint32_t window_;
  WordSequence* sequence_;
  std::vector<FeatureId> ids_;
  std::vector<std::string> words_;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string log2_bucket(std::size_t n) {
  return std::to_string(n == 0 ? 0 : std::bit_width(n));
}

// A value with its letters and digits replaced by their class and runs collapsed: "<Pine.LNX.4.33.0209@x.org>"
// -> "<Aa.A.9.9.9@a.a>". Mail programs and spam kits each write Message-IDs (and Received lines, dates, addresses)
// their own way.
// Written into `out` (cleared first): a message has dozens of shapes, and reusing one buffer saves an allocation each.
void shape_into(std::string_view v, std::string& out) {
  constexpr std::size_t kMaxShape = 40;
  static constexpr auto kClass = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c) {
      char k = static_cast<char>(c);
      if (c >= '0' && c <= '9') k = '9';
      else if (c >= 'a' && c <= 'z') k = 'a';
      else if (c >= 'A' && c <= 'Z') k = 'A';
      else if (c >= 0x80) k = '~';
      else if (c <= ' ' || c == 0x7f) k = ' ';
      t[static_cast<std::size_t>(c)] = k;
    }
    return t;
  }();
  out.clear();
  for (const char ch : v) {
    const char k = kClass[static_cast<unsigned char>(ch)];
    if (!out.empty() && out.back() == k) continue;
    out.push_back(k);
    if (out.size() == kMaxShape) break;
  }
}

std::string shape(std::string_view v) {
  std::string out;
  shape_into(v, out);
  return out;
}

void structure_features(const mail::Message& m, Emitter& out) {
  for (const std::string& t : m.html.tags) out.emit("tag:", t);
  for (const mail::HeaderField& f : m.headers)
    if (f.name.size() == 10 && lower(f.name) == "message-id") {
      out.emit("message-id-shape:", shape(f.value));
      break;
    }
}

// Fields whose form is set by the software that wrote them rather than by a person: the trace, the addresses, the
// date, the mailer. (The Message-ID's shape is a structure feature of its own. A Subject's shape is only its words
// again, and measured worse; so did the MIME fields' shapes, labels a sender picks freely and already counted as
// MIME features -- docs/model-tuning.md.)
constexpr std::array<std::string_view, 10> kShapedFields = {"received", "return-path", "from",     "to",
                                                            "cc",       "reply-to",    "sender",   "date",
                                                            "x-mailer", "user-agent"};

// A Received line's clauses, each shaped on its own: "from" (the client as the relay saw it), "by" (the relay and its
// software), "with" (the protocol), "id", "for", and the date after ';'. Each relay writes each clause its own way,
// and the shape of the whole line stops at 40 characters, inside its first or second clause. The keywords are
// matched as relays write them, in lower case.
void received_clause_shapes(std::string_view v, std::string& buf, Emitter& out) {
  static constexpr std::array<std::string_view, 5> kCuts = {" by ", " with ", " id ", " for ", ";"};
  static constexpr std::array<std::string_view, 5> kPrefixes = {"shape:received-by:", "shape:received-with:",
                                                                "shape:received-id:", "shape:received-for:",
                                                                "shape:received-date:"};
  constexpr std::size_t kMaxClauses = 8;  // a trace line has six at most; a hostile one cannot ask for thousands
  constexpr std::size_t npos = std::string_view::npos;
  // The next place of each keyword after the clause's start; each is searched for again only once passed, so a line
  // is scanned a bounded number of times however it is written.
  std::array<std::size_t, kCuts.size()> next;
  next.fill(0);
  std::size_t start = 0;
  // The first clause is named by the keyword it starts with ("from", or "by" on a relay's own local hop), else
  // "start" ("(qmail 1234 invoked by uid 0)").
  std::string_view prefix = v.starts_with("from ") ? "shape:received-from:" : "shape:received-start:";
  for (std::size_t i = 0; i + 1 < kCuts.size(); ++i)
    if (v.starts_with(kCuts[i].substr(1))) prefix = kPrefixes[i];
  for (std::size_t n = 0; n < kMaxClauses; ++n) {
    std::size_t cut = npos, which = 0;
    for (std::size_t i = 0; i < kCuts.size(); ++i) {
      if (next[i] != npos && next[i] <= start) next[i] = v.find(kCuts[i], start + 1);
      if (next[i] < cut) {
        cut = next[i];
        which = i;
      }
    }
    std::string_view clause = v.substr(start, cut == npos ? npos : cut - start);
    clause.remove_prefix(std::min(clause.size(), clause.find_first_not_of(" ;")));
    // A blank before the next keyword is not part of the clause's form ("a  by" is written as "a by").
    clause.remove_suffix(clause.size() - std::min(clause.size(), clause.find_last_not_of(' ') + 1));
    if (!clause.empty()) {
      shape_into(clause, buf);
      out.emit(prefix, buf);
    }
    if (cut == npos) break;
    start = cut;
    prefix = kPrefixes[which];
  }
}

// The programs' own fields, whole: a header word would be bucketed or split at the dots, losing the version a spam kit
// copies from one program.
constexpr std::array<std::string_view, 3> kMailerFields = {"x-mailer", "user-agent", "x-mimeole"};

// Shapes and mailer versions, in one pass over the header block: both read a few fields by name.
void header_forms(const mail::Message& m, bool shapes, bool mailers, Emitter& out) {
  constexpr std::size_t kMaxMailer = 60;  // 96% of the corpus's values whole (the rest: long browser strings)
  auto listed = [](const auto& fields, const std::string& name) {
    return std::find(fields.begin(), fields.end(), name) != fields.end();
  };
  std::string prefix, buf;
  for (const mail::HeaderField& f : m.headers) {
    if (f.name.size() > 12) continue;  // longer than every name read here: no copy to lower-case
    const std::string name = lower(f.name);
    if (shapes && listed(kShapedFields, name)) {
      prefix.assign("shape:").append(name).push_back(':');
      // As written, not RFC 2047-decoded: how a kit encodes a display name (=?utf-8?B?...?=) is part of its form.
      shape_into(f.raw, buf);
      out.emit(prefix, buf);
      if (name == "received") received_clause_shapes(f.raw, buf, out);
    }
    if (mailers && listed(kMailerFields, name)) {
      prefix.assign("mailer:").append(name).push_back(':');
      out.emit(prefix, lower(std::string_view(f.raw).substr(0, kMaxMailer)));
    }
  }
}

void header_features(const mail::Message& m, const detail::WordRules& rules, bool charset_words, Emitter& out) {
  for (const mail::HeaderField& f : m.headers) {
    const std::string name = lower(f.name);
    if (name.rfind("x-spam-", 0) == 0) continue;
    out.emit("hdr:", name);
    // A Content-Type's charset is a MIME feature already ("charset:utf-8", what the parser read for the part): as
    // header words too it counted twice -- one label an encoder can choose freely, worth two clues. Its words are
    // found as the parser finds the charset, so every way of writing it is left out.
    WordList charset;
    if (!charset_words && name == "content-type") {
      detail::split_words(mail::content_type_charset(f.value), rules, charset);
      std::sort(charset.words.begin(), charset.words.end());
    }
    FieldWords words(out, name, charset.words);
    detail::split_words(f.value, rules, words);
  }
}

void url_features(const mail::Message& m, Emitter& out) {
  for (const std::string& url : m.urls) {
    const std::string host = detail::url_host(url);
    if (host.empty()) continue;
    out.emit("url:", host);
    if (detail::is_ip_host(host)) {
      out.emit("url:", "ip");
    } else {
      out.emit("url-domain:", detail::registrable_domain(host));
    }
  }
}

void mime_features(const mail::Message& m, Emitter& out) {
  bool has_plain = false, has_html = false;
  for (const mail::Part& p : m.parts) {
    out.emit("mime:", p.content_type);
    if (!p.charset.empty()) out.emit("charset:", p.charset);
    if (!p.transfer_encoding.empty()) out.emit("cte:", p.transfer_encoding);
    if (p.is_text) (p.is_html ? has_html : has_plain) = true;
    if (!p.is_text) {
      const auto dot = p.filename.rfind('.');
      out.emit("attach:", dot == std::string::npos ? std::string("none") : lower(p.filename.substr(dot + 1, 10)));
    }
  }
  if (has_html && !has_plain) out.emit("mime:", "html-only");
  const mail::HtmlSignals& h = m.html;
  if (h.html_parts > 0) {
    out.emit("html:images=", log2_bucket(h.images));
    out.emit("html:links=", log2_bucket(h.links));
  }
  if (h.forms) out.emit("html:", "form");
  if (h.scripts) out.emit("html:", "script");
  if (h.comments_in_words) out.emit("html:", "comment-in-word");
  if (h.hidden_chars) out.emit("html:hidden=", log2_bucket(h.hidden_chars));
  if (h.tiny_font_chars) out.emit("html:tiny-font=", log2_bucket(h.tiny_font_chars));
  if (h.invisible_chars) out.emit("html:invisible=", log2_bucket(h.invisible_chars));
  for (const mail::Issue& i : m.issues) out.emit("issue:", mail::to_string(i.kind));
}

void byte_ngrams(std::string_view raw, const TokenizerSettings& s, Emitter& out) {
  const std::size_t n = s.byte_ngrams;
  raw = raw.substr(0, s.byte_ngram_prefix);
  if (n == 0 || raw.size() < n) return;
  static const char* digits = "0123456789abcdef";
  const std::string prefix = "b" + std::to_string(n) + ":";
  std::string hexed;
  for (std::size_t i = 0; i + n <= raw.size(); ++i) {
    const std::string_view gram = raw.substr(i, n);
    const FeatureId id = hash64(gram, kFeatureSeed ^ n);
    if (!out.wants(id)) {
      out.emit_id(id, {});
      continue;
    }
    hexed = prefix;
    for (unsigned char c : gram) {
      hexed.push_back(digits[c >> 4]);
      hexed.push_back(digits[c & 15]);
    }
    out.emit_id(id, hexed);
  }
}

}  // namespace

namespace {

// Room for about as many features as the message will give, so that a long one's vectors do not grow by doubling:
// each step copies them and faults in fresh pages, and a room reserved but never written costs no memory.
void reserve_for(const mail::Message& m, const TokenizerSettings& s, BagDetail detail, FeatureBag& bag) {
  std::size_t text = 0;
  for (const mail::Part& p : m.parts)
    if (p.is_text) text += p.text.size();
  // About one word in five bytes of text; each gives its id and a pair with each of the window's words before it.
  // A typical message fits in the first 2,048: more room for it only cost page faults (500 more in `train`, +7%).
  const std::size_t words = s.body_words ? text / 5 : 0;
  const std::size_t pairs = words * (s.osb_window > 1 ? s.osb_window - 1 : 0);
  constexpr std::size_t kTypical = 2048;
  bag.ids.reserve(std::max(kTypical, words + pairs + 256));
  if (words + pairs <= kTypical) return;
  if (detail.sequence) {
    bag.sequence.words.reserve(words);
    bag.sequence.pairs.reserve(pairs);
  }
  if (detail.sources) bag.sources.reserve(pairs + 256);
}

void emit_all(const mail::Message& m, std::string_view raw, const TokenizerSettings& s, Emitter& out) {
  const detail::WordRules rules{s.min_token_len, s.max_token_len, s.caps_words};
  if (s.header_tokens) header_features(m, rules, s.charset_words, out);
  if (s.body_words) {
    BodyWords words(out, s.osb_window);
    for (const mail::Part& p : m.parts)
      if (p.is_text) detail::split_words(p.text, rules, words);
  }
  if (s.url_features) url_features(m, out);
  if (s.mime_features) mime_features(m, out);
  if (s.structure_features) structure_features(m, out);
  if (s.header_shapes || s.mailer_versions) header_forms(m, s.header_shapes, s.mailer_versions, out);
  if (s.byte_ngrams > 0) byte_ngrams(raw, s, out);
}

}  // namespace

FeatureBag features(const mail::Message& m, std::string_view raw, const TokenizerSettings& s, BagDetail detail) {
  FeatureBag bag;
  reserve_for(m, s, detail, bag);
  Emitter out(bag, detail);
  emit_all(m, raw, s, out);
  bag.finish();
  return bag;
}

FeatureBag features(std::string_view raw, const TokenizerSettings& s, BagDetail detail) {
  return features(mail::parse(raw, s.limits), raw, s, detail);
}

std::vector<std::pair<FeatureId, std::string>> feature_names(std::string_view raw, const TokenizerSettings& s,
                                                             std::span<const FeatureId> wanted) {
  Emitter::Named named;
  if (wanted.empty()) return named;
  // Sorted and distinct, whatever the caller passed: the lookups binary-search it.
  std::vector<FeatureId> ids(wanted.begin(), wanted.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  Emitter out(named, ids);
  emit_all(mail::parse(raw, s.limits), raw, s, out);
  return named;
}

}  // namespace spamcore::tokenize
