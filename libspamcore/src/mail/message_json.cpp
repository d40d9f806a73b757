#include <nlohmann/json.hpp>

#include "spamcore/mail/parse.hpp"

namespace spamcore::mail {

std::string to_json(const Message& m, int indent) {
  using nlohmann::json;
  json headers = json::array();
  for (const HeaderField& f : m.headers) {
    json h = {{"name", f.name}, {"value", f.value}};
    if (f.raw != f.value) h["raw"] = f.raw;
    headers.push_back(std::move(h));
  }
  json parts = json::array();
  for (const Part& p : m.parts) {
    json j = {{"content_type", p.content_type}, {"depth", p.depth},       {"encoded_size", p.encoded_size},
              {"decoded_size", p.decoded_size}, {"is_text", p.is_text}};
    if (!p.charset.empty()) j["charset"] = p.charset;
    if (!p.transfer_encoding.empty()) j["transfer_encoding"] = p.transfer_encoding;
    if (!p.disposition.empty()) j["disposition"] = p.disposition;
    if (!p.filename.empty()) j["filename"] = p.filename;
    if (p.is_text) j["text"] = p.text;
    parts.push_back(std::move(j));
  }
  json issues = json::array();
  for (const Issue& i : m.issues) {
    json j = {{"kind", std::string(to_string(i.kind))}};
    if (!i.detail.empty()) j["detail"] = i.detail;
    issues.push_back(std::move(j));
  }
  const HtmlSignals& s = m.html;
  json doc = {
      {"raw_size", m.raw_size},
      {"analysed_size", m.analysed_size},
      {"line_ending", m.line_ending == "\r\n" ? "CRLF" : m.line_ending == "\r" ? "CR" : "LF"},
      {"headers", std::move(headers)},
      {"parts", std::move(parts)},
      {"urls", m.urls},
      {"html", {{"html_parts", s.html_parts}, {"images", s.images}, {"links", s.links}, {"forms", s.forms},
                {"scripts", s.scripts}, {"comments", s.comments}, {"comments_in_words", s.comments_in_words},
                {"hidden_chars", s.hidden_chars}, {"tiny_font_chars", s.tiny_font_chars},
                {"invisible_chars", s.invisible_chars}}},
      {"issues", std::move(issues)},
  };
  // Header values and filenames can hold any bytes a spammer chose: never let dump() throw on them (P15).
  return doc.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace spamcore::mail
