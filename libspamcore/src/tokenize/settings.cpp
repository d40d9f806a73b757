#include "spamcore/tokenize/settings.hpp"

#include <charconv>
#include <functional>
#include <map>
#include <string_view>
#include <type_traits>

#include "spamcore/base/error.hpp"
#include "spamcore/base/key_value.hpp"

namespace spamcore::tokenize {
namespace {

// One table drives both directions, so serialize and deserialize cannot drift apart.
template <typename Settings, typename Fn>
void for_each_field(Settings& s, Fn&& fn) {
  fn("version", s.version);
  fn("header_tokens", s.header_tokens);
  fn("body_words", s.body_words);
  fn("url_features", s.url_features);
  fn("mime_features", s.mime_features);
  fn("osb_window", s.osb_window);
  fn("byte_ngrams", s.byte_ngrams);
  fn("byte_ngram_prefix", s.byte_ngram_prefix);
  fn("caps_words", s.caps_words);
  fn("structure_features", s.structure_features);
  fn("charset_words", s.charset_words);
  fn("header_shapes", s.header_shapes);
  fn("mailer_versions", s.mailer_versions);
  fn("min_token_len", s.min_token_len);
  fn("max_token_len", s.max_token_len);
  fn("max_bytes", s.limits.max_bytes);
  fn("max_depth", s.limits.max_depth);
  fn("max_parts", s.limits.max_parts);
  fn("max_headers", s.limits.max_headers);
  fn("max_line", s.limits.max_line);
}

// Keys added after version 1, with the value a model written before the key existed was trained with: an absent key
// means that value. A model of an older version, saved again by this spamcore (`learn`, `train --incremental`), is
// written without the keys its version did not have while they hold that value, so the spamcore that wrote it can
// still read it.
struct Introduced {
  std::string_view key;
  bool TokenizerSettings::*field;
  std::uint32_t version;
  bool legacy;
};
constexpr Introduced kIntroduced[] = {
    {"structure_features", &TokenizerSettings::structure_features, 2, false},
    {"charset_words", &TokenizerSettings::charset_words, 4, true},
    {"header_shapes", &TokenizerSettings::header_shapes, 5, false},
    {"mailer_versions", &TokenizerSettings::mailer_versions, 5, false}};

bool written_by_older_without(std::string_view key, std::uint32_t version, bool value) {
  for (const Introduced& k : kIntroduced)
    if (k.key == key) return version < k.version && value == k.legacy;
  return false;
}

std::string to_text(bool v) { return v ? "1" : "0"; }
template <typename T>
std::string to_text(T v) { return std::to_string(v); }

bool from_text(std::string_view text, bool& v) {
  if (text == "1" || text == "0") {
    v = text == "1";
    return true;
  }
  return false;
}
template <typename T>
bool from_text(std::string_view text, T& v) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace

std::string TokenizerSettings::serialize() const {
  std::string out;
  for_each_field(*this, [&](const char* key, const auto& value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, bool>)
      if (written_by_older_without(key, version, value)) return;
    out += key;
    out += '=';
    out += to_text(value);
    out += '\n';
  });
  return out;
}

TokenizerSettings TokenizerSettings::deserialize(std::string_view text) {
  const auto pairs = parse_key_values(text);
  if (!pairs) throw Error(ErrorKind::format, "", "tokenizer settings: bad line");
  const std::map<std::string, std::string, std::less<>> values(pairs->begin(), pairs->end());
  TokenizerSettings s;
  std::size_t used = 0;
  for_each_field(s, [&](const char* key, auto& value) {
    const auto it = values.find(key);
    if (it == values.end()) return;  // absent: the default of this version
    if (!from_text(it->second, value))
      throw Error(ErrorKind::format, "", std::string("tokenizer settings: bad value for ") + key);
    ++used;
  });
  for (const Introduced& k : kIntroduced)
    if (!values.contains(k.key)) s.*k.field = k.legacy;
  // The version first: a newer model's new keys are unknown here because it is newer, and that is what to say.
  if (s.version > kCurrentVersion || s.version == 0)
    throw Error(ErrorKind::format, "", "tokenizer settings version " + std::to_string(s.version) +
                                           " is newer than this spamcore understands");
  if (used != values.size()) throw Error(ErrorKind::format, "", "tokenizer settings: unknown key");
  // Each body word emits a pair with each of the window's other words, and scoring keeps as many per word: a model
  // file must not be able to ask for millions.
  if (s.osb_window > kMaxOsbWindow) throw Error(ErrorKind::format, "", "tokenizer settings: osb_window too large");
  // Each byte of the prefix starts an n-gram of n bytes: scoring time grows with their product.
  if (s.byte_ngrams > kMaxByteNgram) throw Error(ErrorKind::format, "", "tokenizer settings: byte_ngrams too large");
  return s;
}

}  // namespace spamcore::tokenize
