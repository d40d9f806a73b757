// HTML to text (hidden text, entities, comments, URLs).
#include <vector>

#include "fuzz_util.hpp"
#include "mail/html_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = spamcore::fuzz::as_text(data, size);
  (void)spamcore::mail::detail::html_to_text(in);
  std::vector<std::string> urls;
  spamcore::mail::detail::find_urls(in, urls);
  return 0;
}
