#include "spamcore/store/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>

#include "spamcore/base/error.hpp"
#include "store/meta.hpp"

namespace spamcore::store {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "spamcore-model";
constexpr int kJsonVersion = 1;

// Ids as 16 hex digits: JSON numbers are doubles to many readers, and 64-bit ids do not fit.
std::string id_hex(FeatureId id) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
  return buf;
}

FeatureId parse_id(const std::string& s, const std::string& path) {
  FeatureId id = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), id, 16);
  if (s.size() != 16 || r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw Error(ErrorKind::format, path, "bad feature id '" + s + "'");
  return id;
}

// A message count: a whole number in 0 .. 2^32 - 1, never cast from a negative or a fraction.
std::uint32_t count(const json& v, const std::string& path) {
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > UINT32_MAX)
    throw Error(ErrorKind::format, path, "bad message count " + v.dump() + " (a whole number from 0 to 4294967295)");
  return static_cast<std::uint32_t>(v.get<std::uint64_t>());
}

// A logistic weight: a finite number a float can hold (a larger one would become infinite).
float weight(const json& v, const std::string& path) {
  const double d = v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
  if (!(std::fabs(d) <= std::numeric_limits<float>::max()))
    throw Error(ErrorKind::format, path, "bad weight " + v.dump() + " (a finite number)");
  return static_cast<float>(d);
}

}  // namespace

void export_json(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names, std::ostream& out) {
  json doc;
  doc["format"] = kFormat;
  doc["version"] = kJsonVersion;
  json meta = json::object();
  for (const auto& [k, v] : detail::meta_from_model(m)) meta[k] = v;
  doc["meta"] = std::move(meta);
  if (m.config().algorithm != model::Algorithm::logreg) {
    std::vector<std::pair<FeatureId, model::NbCounts>> rows(m.nb.table.begin(), m.nb.table.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    json nb = json::array();
    for (const auto& [id, c] : rows) nb.push_back({id_hex(id), c.spam, c.ham});
    doc["nb"] = std::move(nb);
  }
  if (m.config().algorithm != model::Algorithm::nb) {
    json weights = json::array();  // sparse: [bucket, weight] for non-zero weights
    const auto& w = m.lr.weights();
    for (std::size_t i = 0; i < w.size(); ++i)
      if (w[i] != 0.0f) weights.push_back({i, static_cast<double>(w[i])});
    doc["lr"] = {{"bias", static_cast<double>(m.lr.bias)}, {"weights", std::move(weights)}};
  }
  json learned = json::array();
  for (const auto& [d, spam] : m.learned()) learned.push_back({to_hex(d), spam ? "spam" : "ham"});
  doc["learned"] = std::move(learned);
  json jn = json::object();
  for (const auto& [id, name] : names) jn[id_hex(id)] = name;
  doc["names"] = std::move(jn);
  out << doc.dump(1, ' ', false, json::error_handler_t::replace) << '\n';
}

model::Model import_json(const std::string& text, const std::string& path,
                         std::unordered_map<FeatureId, std::string>* names) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(ErrorKind::format, path, std::string("not valid JSON: ") + e.what());
  }
  try {
    if (!doc.is_object() || doc.value("format", "") != kFormat)
      throw Error(ErrorKind::format, path, "not a spamcore model export");
    if (doc.at("version").get<int>() > kJsonVersion)
      throw Error(ErrorKind::format, path, "export version is newer than this spamcore");
    detail::MetaPairs pairs;
    for (const auto& [k, v] : doc.at("meta").items()) pairs.emplace_back(k, v.get<std::string>());
    model::Model m = detail::model_from_meta(detail::meta_from_pairs(pairs, path));
    if (doc.contains("nb")) {
      // Sized first: the rows come in id order, so each would land at the front of a table still too small for them
      // all, and walk the run of those before it (300,000 features took 8 s).
      if (doc["nb"].is_array()) m.nb.table.reserve(doc["nb"].size());
      for (const auto& row : doc["nb"]) {
        const FeatureId id = parse_id(row.at(0).get<std::string>(), path);
        const model::NbCounts c{count(row.at(1), path), count(row.at(2), path)};
        if (m.nb.table.find(id)) throw Error(ErrorKind::format, path, "feature listed twice: " + id_hex(id));
        m.nb.table[id] = c;
      }
    }
    if (doc.contains("lr")) {
      const auto w = m.lr.weights();
      m.lr.bias = weight(doc["lr"].at("bias"), path);
      std::vector<bool> seen(w.size(), false);
      for (const auto& row : doc["lr"].at("weights")) {
        const auto i = row.at(0).get<std::size_t>();
        if (i >= w.size()) throw Error(ErrorKind::format, path, "weight index out of range");
        if (seen[i]) throw Error(ErrorKind::format, path, "weight listed twice: " + std::to_string(i));
        seen[i] = true;
        w[i] = weight(row.at(1), path);
      }
    }
    std::map<Sha256Digest, bool> learned;
    for (const auto& row : doc.at("learned")) {
      const std::string hex = row.at(0).get<std::string>();
      if (hex.size() != 64) throw Error(ErrorKind::format, path, "bad message digest");
      Sha256Digest d;
      for (std::size_t i = 0; i < 32; ++i) {
        unsigned v = 0;
        const auto r = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, v, 16);
        if (r.ec != std::errc() || r.ptr != hex.data() + 2 * i + 2)
          throw Error(ErrorKind::format, path, "bad message digest");
        d[i] = static_cast<std::uint8_t>(v);
      }
      const std::string label = row.at(1).get<std::string>();
      if (label != "spam" && label != "ham")
        throw Error(ErrorKind::format, path, "bad label '" + label + "' (spam or ham)");
      if (!learned.emplace(d, label == "spam").second)
        throw Error(ErrorKind::format, path, "message digest listed twice: " + hex);
    }
    m.set_learned(std::move(learned));
    if (names && doc.contains("names"))
      for (const auto& [k, v] : doc["names"].items()) (*names)[parse_id(k, path)] = v.get<std::string>();
    return m;
  } catch (const json::exception& e) {
    throw Error(ErrorKind::format, path, std::string("malformed model export: ") + e.what());
  } catch (const Error& e) {
    if (e.path() == path) throw;
    throw Error(ErrorKind::format, path, e.problem());
  }
}

}  // namespace spamcore::store
