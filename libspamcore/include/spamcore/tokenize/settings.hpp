#pragma once
// How messages are turned into features. Saved inside every model, so a model is always scored with the settings
// it was trained with (fastText Args::save, rspamd's OSB config).
#include <cstdint>
#include <string>
#include <string_view>

#include "spamcore/base/limits.hpp"

namespace spamcore::tokenize {

struct TokenizerSettings {
  /// Bumped whenever the same settings would produce different features (hash, folding, splitting rules) or a key
  /// is added, so that an older spamcore refuses a newer model by its version. 2: structure_features, and the
  /// letter-spacing rules of words.cpp (punctuation ends a plain run; dotted runs). 3: letter-spaced compounds
  /// rejoined across their joiner ("T O L L-F R E E"). 4: charset_words. 5: header_shapes, mailer_versions. Older
  /// versions load, but are tokenized by the current rules: their words differ only in rare letter-spaced runs (and
  /// version 3 only adds tokens there).
  static constexpr std::uint32_t kCurrentVersion = 5;
  /// The largest word-pair window a model may ask for.
  static constexpr std::uint32_t kMaxOsbWindow = 16;
  static constexpr std::uint32_t kMaxByteNgram = 16;
  std::uint32_t version = kCurrentVersion;

  bool header_tokens = true;    ///< words of header fields, prefixed by the field name ("subject:free")
  bool body_words = true;       ///< words of the decoded text
  bool url_features = true;     ///< URL hosts and registrable domains
  bool mime_features = true;    ///< content types, attachment extensions, HTML signals, parse issues
  std::uint32_t osb_window = 3; ///< orthogonal sparse bigrams over body words within this window; < 2 = off
  std::uint32_t byte_ngrams = 0;        ///< n of raw-byte n-grams (0 = off)
  std::uint32_t byte_ngram_prefix = 3000;  ///< raw bytes of the message the n-grams are taken from
  bool caps_words = false;      ///< also "caps:<word>" for words written in capitals
  /// How the message was put together: "tag:<name>" for each HTML tag its text parts use, and the Message-ID's
  /// shape ("message-id-shape:<Aa.A.9.9@a.a>"). Off in models written before it existed (the key is absent there).
  bool structure_features = true;
  /// The charset of a Content-Type field also as a header word ("content-type:utf-8") beside the MIME feature
  /// ("charset:utf-8"). Off: it counts once. On in models written before the key existed.
  bool charset_words = false;
  /// The shape of each header field that mail software writes (the trace, the addresses, the date, the mailer):
  /// "shape:date:Aa, 9 Aa 9 9:9:9 -9", and of each Received line also clause by clause
  /// ("shape:received-by:a a.a.a (Aa)") -- how a relay or a spam kit formats a line, which its words do not tell.
  /// Off in models written before the key existed.
  bool header_shapes = true;
  /// The mail program's name and version as one feature ("mailer:x-mailer:microsoft outlook express 5.50.4133.2400",
  /// from X-Mailer, User-Agent and X-MimeOLE): its words alone lose the version, which spam kits copy from one
  /// program. Off in models written before the key existed.
  bool mailer_versions = true;
  std::uint32_t min_token_len = 2;
  std::uint32_t max_token_len = 40;     ///< longer words become skip tokens ("skip:v:40")
  Limits limits;                        ///< the parser's limits (parsing is part of tokenizing)

  /// "key=value" lines, stable keys: what the model file and the JSON export store.
  std::string serialize() const;
  /// The inverse of serialize(); throws spamcore::Error(format, "", ...) on an unknown key, a bad value, or a
  /// version newer than kCurrentVersion.
  static TokenizerSettings deserialize(std::string_view text);

  bool operator==(const TokenizerSettings&) const = default;
};

}  // namespace spamcore::tokenize
