#include "transforms.hpp"

#include <cctype>
#include <stdexcept>

#include "mail/charset.hpp"

namespace spamcore::evasion {
namespace {

struct Split {
  std::string headers;  ///< without the content fields, each line ending in \n
  std::string body;
  bool html = false;
};

bool starts_ci(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Headers (unfolded per field, content fields taken out) and body.
bool split(std::string_view m, Split& out) {
  std::size_t pos = 0;
  std::string content_type, encoding;
  std::string* field = nullptr;  // the content field a continuation line belongs to
  bool dropping = false;
  while (pos < m.size()) {
    std::size_t nl = m.find('\n', pos);
    if (nl == std::string_view::npos) nl = m.size();
    std::string_view line = m.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      out.body = std::string(m.substr(std::min(pos, m.size())));
      break;
    }
    const bool cont = line[0] == ' ' || line[0] == '\t';
    if (!cont) {
      dropping = starts_ci(line, "content-type:") || starts_ci(line, "content-transfer-encoding:") ||
                 starts_ci(line, "mime-version:");
      field = nullptr;
      if (starts_ci(line, "content-type:")) *(field = &content_type) = lower(line.substr(13));
      if (starts_ci(line, "content-transfer-encoding:")) *(field = &encoding) = lower(line.substr(26));
    } else if (field) {
      *field += lower(line);
    }
    if (!dropping) out.headers += std::string(line) + "\n";
  }
  const bool plain = content_type.empty() || content_type.find("text/plain") != std::string::npos;
  out.html = content_type.find("text/html") != std::string::npos;
  const bool simple_encoding = encoding.empty() || encoding.find("7bit") != std::string::npos ||
                               encoding.find("8bit") != std::string::npos;
  // Every transform labels its body UTF-8 (message()), so a body in another charset is converted, as a spammer's
  // tool would write it; relabelled as it was, its 8-bit letters would turn into U+FFFD and the test would measure
  // that damage instead of the evasion.
  std::string label;  // none: UTF-8 if valid, else windows-1252, as the parser reads it
  if (auto at = content_type.find("charset"); at != std::string::npos) {
    at = content_type.find_first_not_of(" \t", at + 7);
    if (at != std::string::npos && content_type[at] == '=') {
      at = content_type.find_first_not_of(" \t\"", at + 1);
      if (at != std::string::npos) label = content_type.substr(at, content_type.find_first_of("\"; \t", at) - at);
    }
  }
  out.body = mail::detail::to_utf8(out.body, label);
  return (plain || out.html) && simple_encoding;
}

std::string message(const Split& s, const std::string& type, const std::string& body, const char* cte = "8bit") {
  return s.headers + "MIME-Version: 1.0\nContent-Type: " + type + "; charset=utf-8\nContent-Transfer-Encoding: " +
         cte + "\n\n" + body;
}

// Applies `f` to each word (a run of ASCII letters) of the body: outside HTML tags and entity names when the body is
// HTML (a spammer keeps the markup working). `gap` replaces the single space between two changed words.
template <typename F>
std::string map_words(const std::string& body, bool html, F f, const std::string& gap = " ") {
  std::string out, word;
  bool in_tag = false, in_entity = false, last_changed = false;
  std::size_t pending_space = std::string::npos;  // position in out of a single space after a changed word
  auto flush = [&] {
    if (word.empty()) return;
    const std::string changed = f(word);
    const bool did = changed != word;
    if (did && last_changed && pending_space != std::string::npos) out.replace(pending_space, 1, gap);
    out += changed;
    last_changed = did;
    pending_space = std::string::npos;
    word.clear();
  };
  for (char c : body) {
    if (html && c == '<') in_tag = true;
    if (html && c == '&') in_entity = true;
    if (!in_tag && !in_entity && std::isalpha(static_cast<unsigned char>(c))) {
      word.push_back(c);
      continue;
    }
    flush();
    if (c == ' ' && last_changed && pending_space == std::string::npos) {
      pending_space = out.size();
    } else if (c != ' ') {
      last_changed = false;
      pending_space = std::string::npos;
    }
    out.push_back(c);
    if (html && c == '>') in_tag = false;
    if (html && (c == ';' || c == ' ')) in_entity = false;
  }
  flush();
  return out;
}

std::string to_html(const std::string& text) {
  std::string out = "<html><body><p>";
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '\n') out += "<br>\n";
    else out.push_back(c);
  }
  return out + "</p></body></html>\n";
}

std::string base64(std::string_view in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t col = 0;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::uint32_t n = static_cast<unsigned char>(in[i]) << 16 |
                            (i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) << 8 : 0) |
                            (i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0);
    out += t[n >> 18 & 63];
    out += t[n >> 12 & 63];
    out += i + 1 < in.size() ? t[n >> 6 & 63] : '=';
    out += i + 2 < in.size() ? t[n & 63] : '=';
    if ((col += 4) >= 76) {
      out += '\n';
      col = 0;
    }
  }
  return out + "\n";
}

// Random words of a general English dictionary, as a poisoner appends them (not chosen from the victim's mail).
const char* kDictionary[] = {
    "apple", "river", "window", "garden", "yellow", "bridge", "candle", "forest", "pencil", "mountain",
    "ocean", "ladder", "silver", "basket", "thunder", "pillow", "market", "violin", "harbor", "blanket",
    "feather", "rocket", "meadow", "button", "castle", "lemon", "anchor", "whistle", "marble", "jungle",
    "tunnel", "orange", "saddle", "kettle", "planet", "carpet", "puzzle", "shadow", "cotton", "island",
    "hammer", "velvet", "desert", "copper", "falcon", "valley", "mirror", "pepper", "glacier", "lantern",
    "walnut", "canyon", "sparrow", "cabinet", "harvest", "compass", "blossom", "timber", "crystal", "meadowlark"};

}  // namespace

const std::vector<std::string>& transform_names() {
  static const std::vector<std::string> names = {"rewrapped", "comments", "zero-width", "spacing",
                                                 "lookalike", "base64",   "poison",     "html-only"};
  return names;
}

bool applicable(std::string_view m) {
  Split s;
  return split(m, s);
}

std::string transform(std::string_view m, const std::string& name, std::uint64_t seed) {
  Split s;
  if (!split(m, s)) return std::string(m);
  const std::string type = s.html ? "text/html" : "text/plain";
  // The control: the body as it was, under the MIME header fields every transform writes (UTF-8, 8bit). What a
  // transform changes beyond this is the evasion itself.
  if (name == "rewrapped") return message(s, type, s.body);
  if (name == "comments") {  // HTML comments inside words: the part must be HTML for them to be comments
    const std::string html = s.html ? s.body : to_html(s.body);
    return message(s, "text/html", map_words(html, true, [](const std::string& w) {
                     return w.size() < 4 ? w : w.substr(0, w.size() / 2) + "<!-- x -->" + w.substr(w.size() / 2);
                   }));
  }
  if (name == "zero-width") {
    return message(s, type, map_words(s.body, s.html, [](const std::string& w) {
                     if (w.size() < 4) return w;
                     std::string out;
                     for (std::size_t i = 0; i < w.size(); ++i) (out += w[i]) += i + 1 < w.size() ? "\u200b" : "";
                     return out;
                   }));
  }
  // "F R E E   O F F E R": letters one space apart, words three (to stay readable; in HTML, where spaces collapse,
  // non-breaking ones)
  if (name == "spacing") {
    return message(s, type,
                   map_words(
                       s.body, s.html,
                       [](const std::string& w) {
                         if (w.size() < 4) return w;
                         std::string out;
                         for (std::size_t i = 0; i < w.size(); ++i) (out += w[i]) += i + 1 < w.size() ? " " : "";
                         return out;
                       },
                       s.html ? "&nbsp;&nbsp;&nbsp;" : "   "));
  }
  if (name == "lookalike") {  // Latin letters to the Cyrillic ones that look the same
    return message(s, type, map_words(s.body, s.html, [](const std::string& w) {
                     std::string out;
                     for (char c : w) {
                       switch (c) {
                         case 'a': out += "\u0430"; break;
                         case 'e': out += "\u0435"; break;
                         case 'o': out += "\u043e"; break;
                         case 'p': out += "\u0440"; break;
                         case 'c': out += "\u0441"; break;
                         case 'x': out += "\u0445"; break;
                         default: out += c;
                       }
                     }
                     return out;
                   }));
  }
  if (name == "base64") return message(s, type, base64(s.body), "base64");
  if (name == "poison") {  // Bayes poisoning: 300 random dictionary words appended
    std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
    std::string words = s.html ? "\n<p>" : "\n";
    for (int i = 0; i < 300; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      words += kDictionary[x % (sizeof kDictionary / sizeof *kDictionary)];
      words += i % 12 == 11 ? "\n" : " ";
    }
    return message(s, type, s.body + words + (s.html ? "</p>\n" : "\n"));
  }
  if (name == "html-only") return message(s, "text/html", s.html ? s.body : to_html(s.body));
  throw std::invalid_argument("unknown evasion '" + name + "'");
}

}  // namespace spamcore::evasion
