#include "store/meta.hpp"

#include <charconv>
#include <cstdint>
#include <map>

#include "spamcore/base/error.hpp"
#include "spamcore/base/key_value.hpp"

namespace spamcore::store::detail {
namespace {

std::string num(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back to the same double
  return std::string(buf, r.ptr);
}
template <typename T>
std::string num(T v) { return std::to_string(v); }

std::string_view regime_name(model::TrainRegime r) {
  switch (r) {
    case model::TrainRegime::every: return "every";
    case model::TrainRegime::on_error: return "on-error";
    case model::TrainRegime::thick_threshold: return "thick-threshold";
  }
  return "thick-threshold";
}

class Reader {
 public:
  Reader(const MetaPairs& pairs, const std::string& path) : path_(path) {
    for (const auto& [k, v] : pairs) values_[k] = v;
  }
  const std::string& str(const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) throw Error(ErrorKind::model, path_, "model metadata lacks '" + key + "'");
    return it->second;
  }
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  template <typename T>
  T get(const std::string& key) const {
    const std::string& s = str(key);
    T v{};
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size())
      throw Error(ErrorKind::model, path_, "model metadata has a bad value for '" + key + "'");
    return v;
  }
  /// get(), refused outside [lo, hi] (NaN included).
  template <typename T>
  T in_range(const std::string& key, T lo, T hi) const {
    const T v = get<T>(key);
    if (!(v >= lo && v <= hi)) throw Error(ErrorKind::model, path_, "model metadata has a bad value for '" + key + "'");
    return v;
  }
  std::string tokenizer_text() const {
    std::string out;
    for (const auto& [k, v] : values_)
      if (k.rfind("tokenizer.", 0) == 0) out += k.substr(10) + "=" + v + "\n";
    return out;
  }

 private:
  std::map<std::string, std::string> values_;
  const std::string& path_;
};

}  // namespace

MetaPairs meta_from_model(const model::Model& m) {
  const model::ModelConfig& c = m.config();
  MetaPairs p = {
      {"algorithm", std::string(model::to_string(c.algorithm))},
      {"ham_cutoff", num(c.thresholds.ham_cutoff)},
      {"spam_cutoff", num(c.thresholds.spam_cutoff)},
      {"nb_weight", num(c.nb_weight)},
      {"lr_squash", num(c.lr_squash)},
      {"warmup", num(c.warmup)},
      {"nb.s", num(c.nb.s)},
      {"nb.x", num(c.nb.x)},
      {"nb.min_dev", num(c.nb.min_dev)},
      {"nb.alpha", num(c.nb.alpha)},
      {"nb.chi_scale", num(c.nb.chi_scale)},
      {"nb.max_features", num(c.nb.max_features)},
      {"nb.max_clues", num(c.nb.max_clues)},
      {"nb.context", c.nb.context ? "1" : "0"},
      {"nb.context_after", num(c.nb.context_after)},
      {"nb.context_min", num(c.nb.context_min)},
      {"nb.pair_weight", num(c.nb.pair_weight)},
      {"nb.field_vote", c.nb.field_vote ? "1" : "0"},
      {"lr.bits", num(c.lr.bits)},
      {"lr.rate", num(c.lr.rate)},
      {"lr.regime", std::string(regime_name(c.lr.regime))},
      {"lr.margin", num(c.lr.margin)},
      {"lr.passes", num(c.lr.passes)},
      {"lr.normalize", c.lr.normalize ? "1" : "0"},
      {"spam_messages", num(m.spam_messages())},
      {"ham_messages", num(m.ham_messages())},
      {"nb.spam_messages", num(m.nb.spam_messages)},
      {"nb.ham_messages", num(m.nb.ham_messages)},
      {"created", num(m.created)},
      {"updated", num(m.updated)},
  };
  const std::string settings = c.tokenizer.serialize();
  for (std::size_t pos = 0; pos < settings.size();) {
    const auto nl = settings.find('\n', pos);
    const std::string line = settings.substr(pos, nl - pos);
    const auto eq = line.find('=');
    p.emplace_back("tokenizer." + line.substr(0, eq), line.substr(eq + 1));
    pos = nl == std::string::npos ? settings.size() : nl + 1;
  }
  return p;
}

ModelMeta meta_from_pairs(const MetaPairs& pairs, const std::string& path) {
  const Reader r(pairs, path);
  model::ModelConfig c;
  try {
    c.algorithm = model::algorithm_from_string(r.str("algorithm"));
    c.tokenizer = tokenize::TokenizerSettings::deserialize(r.tokenizer_text());
  } catch (const Error& e) {
    throw Error(ErrorKind::model, path, e.problem());
  }
  // Every number within the range the CLI accepts: an imported or forged model must not bring a NaN (scoring
  // would loop or print "nan") or a cutoff outside [0, 1] (every verdict wrong without a word).
  c.thresholds.ham_cutoff = r.in_range<double>("ham_cutoff", 0.0, 1.0);
  c.thresholds.spam_cutoff = r.in_range<double>("spam_cutoff", 0.0, 1.0);
  if (!(c.thresholds.ham_cutoff <= c.thresholds.spam_cutoff))
    throw Error(ErrorKind::model, path, "model has a ham cutoff above its spam cutoff");
  c.nb_weight = r.in_range<double>("nb_weight", 0.0, 1.0);
  // Absent in models written before the bound existed: unbounded, so they score as they did.
  c.lr_squash = r.has("lr_squash") ? r.in_range<double>("lr_squash", 0.0, 1e6) : 0.0;
  // Absent in models written before the ramp existed: off, so they keep scoring as they did.
  c.warmup = r.has("warmup") ? r.get<double>("warmup") : 0.0;
  if (!(c.warmup >= 0 && c.warmup <= 1e9)) throw Error(ErrorKind::model, path, "model has a bad warmup");
  c.nb.s = r.in_range<double>("nb.s", 0.0, 1e6);
  c.nb.x = r.in_range<double>("nb.x", 0.0, 1.0);
  c.nb.min_dev = r.in_range<double>("nb.min_dev", 0.0, 0.5);
  // Absent in models written before smoothing and the dependence scale existed: none, so they score as they did.
  c.nb.alpha = r.has("nb.alpha") ? r.get<double>("nb.alpha") : 0.0;
  if (!(c.nb.alpha >= 0 && c.nb.alpha <= 1e6)) throw Error(ErrorKind::model, path, "model has a bad nb.alpha");
  c.nb.chi_scale = r.has("nb.chi_scale") ? r.get<double>("nb.chi_scale") : 1.0;
  if (!(c.nb.chi_scale >= 1 && c.nb.chi_scale <= 1e6))
    throw Error(ErrorKind::model, path, "model has a bad nb.chi_scale");
  // Absent in models written before the cap existed: they get the default.
  if (r.has("nb.max_features")) c.nb.max_features = r.in_range<std::uint64_t>("nb.max_features", 1, UINT64_MAX);
  if (r.has("nb.max_clues")) c.nb.max_clues = r.get<std::uint64_t>("nb.max_clues");
  // Absent in models written before the context check existed: off, so they score as they did.
  c.nb.context = r.has("nb.context") && r.get<int>("nb.context") != 0;
  if (r.has("nb.context_after")) c.nb.context_after = r.get<std::uint64_t>("nb.context_after");
  if (r.has("nb.context_min")) c.nb.context_min = r.in_range<std::uint32_t>("nb.context_min", 1, 1000000);
  // Absent in models written before pairs were weighed and header fields voted: every clue counts once, as it did.
  c.nb.pair_weight = r.has("nb.pair_weight") ? r.in_range<double>("nb.pair_weight", 0.0, 1.0) : 1.0;
  c.nb.field_vote = r.has("nb.field_vote") && r.get<int>("nb.field_vote") != 0;
  c.lr.bits = r.get<std::uint32_t>("lr.bits");
  if (c.lr.bits < 8 || c.lr.bits > 28) throw Error(ErrorKind::model, path, "model has a bad weight-table size");
  c.lr.rate = r.in_range<double>("lr.rate", 0.0, 1e6);
  const std::string& regime = r.str("lr.regime");
  if (regime == "every") c.lr.regime = model::TrainRegime::every;
  else if (regime == "on-error") c.lr.regime = model::TrainRegime::on_error;
  else if (regime == "thick-threshold") c.lr.regime = model::TrainRegime::thick_threshold;
  else throw Error(ErrorKind::model, path, "model has an unknown training regime '" + regime + "'");
  c.lr.margin = r.in_range<double>("lr.margin", 0.0, 1.0);  // above 0.5: learn from every message
  c.lr.passes = r.in_range<std::uint32_t>("lr.passes", 0, 1000);
  c.lr.normalize = r.get<int>("lr.normalize") != 0;
  ModelMeta meta;
  meta.config = c;
  meta.spam_messages = r.get<std::uint64_t>("spam_messages");
  meta.ham_messages = r.get<std::uint64_t>("ham_messages");
  meta.nb_spam_messages = r.get<std::uint64_t>("nb.spam_messages");
  meta.nb_ham_messages = r.get<std::uint64_t>("nb.ham_messages");
  meta.created = r.get<std::int64_t>("created");
  meta.updated = r.get<std::int64_t>("updated");
  return meta;
}

model::Model model_from_meta(const ModelMeta& meta) {
  model::Model m(meta.config);
  m.set_counts(meta.spam_messages, meta.ham_messages);
  m.nb.spam_messages = meta.nb_spam_messages;
  m.nb.ham_messages = meta.nb_ham_messages;
  m.created = meta.created;
  m.updated = meta.updated;
  return m;
}

std::string meta_to_text(const MetaPairs& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) out += k + "=" + v + "\n";
  return out;
}

MetaPairs meta_from_text(std::string_view text, const std::string& path) {
  auto pairs = parse_key_values(text);
  if (!pairs) throw Error(ErrorKind::model, path, "model metadata is malformed");
  return std::move(*pairs);
}

}  // namespace spamcore::store::detail
