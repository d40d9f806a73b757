// Model file open (binary, mapped, lazily verified) and full load, and JSON import: a corrupt model must be an
// Error, never a crash or a silent score.
#include "fuzz_util.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/store/json.hpp"
#include "spamcore/store/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = spamcore::fuzz::as_text(data, size);
  const std::string& path = spamcore::fuzz::scratch_file(in, ".scm");
  try {
    const auto view = spamcore::store::ModelView::open(path);
    spamcore::FeatureBag bag;
    for (std::uint64_t i = 0; i < 64; ++i) bag.ids.push_back(i * 0x9e3779b97f4a7c15ull);
    bag.finish();
    (void)view->score(bag, true);
  } catch (const spamcore::Error&) {
  }
  try {
    (void)spamcore::store::load(path);
  } catch (const spamcore::Error&) {
  }
  try {
    (void)spamcore::store::import_json(std::string(in), "fuzz.json");
  } catch (const spamcore::Error&) {
  }
  return 0;
}
