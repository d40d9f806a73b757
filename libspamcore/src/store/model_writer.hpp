#pragma once
// Writing a model file (the layout: spamcore/store/model_file.hpp).
#include <cstdint>
#include <string>
#include <unordered_map>

#include "spamcore/base/feature.hpp"
#include "spamcore/model/model.hpp"

namespace spamcore::store::detail {

/// Writes the whole model file to `fd` (open for writing, empty): data area first, streamed through a small buffer,
/// then the header, section table and block checksums in front of it. Memory stays that of the buffer, not of the
/// file (tens of MiB). The same model always gives the same bytes. Throws Error(io) naming `path` if a write fails.
void write_model_file(int fd, const std::string& path, const model::Model& m,
                      const std::unordered_map<FeatureId, std::string>& names);

/// Tests only: when set, told the offset and size of every write write_model_file makes (the sizes and boundaries of
/// the writes are not visible in the file's bytes, but the page cache and the writer's memory depend on them).
inline void (*write_observer)(std::uint64_t offset, std::size_t size) = nullptr;

/// The size in bytes of the file write_model_file writes, without writing it.
std::uint64_t model_file_size(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names);

}  // namespace spamcore::store::detail
