// Charset conversion to UTF-8: the first byte picks a declared charset (some lying, some unknown).
#include "fuzz_util.hpp"
#include "mail/charset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* labels[] = {"utf-8", "iso-8859-1", "windows-1252", "koi8-r", "gb2312", "big5", "shift_jis",
                                 "euc-kr", "utf-16", "utf-16le", "iso-2022-jp", "utf-7", "x-unknown", "",
                                 "us-ascii", "windows-1251"};
  if (size == 0) return 0;
  const char* label = labels[data[0] % 16];
  const std::string_view in = spamcore::fuzz::as_text(data + 1, size - 1);
  (void)spamcore::mail::detail::to_utf8(in, label);
  (void)spamcore::mail::detail::normalize_charset(in.substr(0, 64));
  (void)spamcore::mail::detail::is_valid_utf8(in);
  return 0;
}
