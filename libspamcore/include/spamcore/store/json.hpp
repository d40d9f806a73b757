#pragma once
// Lossless JSON export and import of a model (README "Model JSON"): import(export(m)) scores every message
// exactly as m does.
#include <iosfwd>
#include <string>
#include <unordered_map>

#include "spamcore/model/model.hpp"

namespace spamcore::store {

/// Writes the model as one JSON document.
void export_json(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names, std::ostream& out);

/// Reads a document written by export_json. Throws Error(format, path, ...) naming what is wrong.
model::Model import_json(const std::string& text, const std::string& path,
                         std::unordered_map<FeatureId, std::string>* names = nullptr);

}  // namespace spamcore::store
