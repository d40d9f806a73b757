#include "spamcore/engine/survey.hpp"

#include <set>

#include "spamcore/mail/parse.hpp"

namespace spamcore::engine {

SurveyCounts& SurveyCounts::operator+=(const SurveyCounts& o) {
  messages += o.messages;
  bytes += o.bytes;
  parts += o.parts;
  text_parts += o.text_parts;
  html_parts += o.html_parts;
  attachments += o.attachments;
  text_bytes += o.text_bytes;
  urls += o.urls;
  messages_with_issues += o.messages_with_issues;
  for (const auto& [k, v] : o.issues) issues[k] += v;
  return *this;
}

SurveyCounts survey(corpus::MessageSource& source, const Limits& limits) {
  SurveyCounts c;
  while (auto raw = source.next()) {
    const mail::Message m = mail::parse(raw->bytes, limits);
    ++c.messages;
    c.bytes += raw->bytes.size();
    c.parts += m.parts.size();
    for (const mail::Part& p : m.parts) {
      if (p.is_text) {
        ++c.text_parts;
        c.text_bytes += p.text.size();
      } else {
        ++c.attachments;
      }
      if (p.is_html) ++c.html_parts;
    }
    c.urls += m.urls.size();
    if (!m.issues.empty()) ++c.messages_with_issues;
    std::set<std::string_view> kinds;
    for (const mail::Issue& i : m.issues) kinds.insert(mail::to_string(i.kind));
    for (std::string_view k : kinds) ++c.issues[std::string(k)];
  }
  return c;
}

}  // namespace spamcore::engine
