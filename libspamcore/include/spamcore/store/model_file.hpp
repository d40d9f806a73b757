#pragma once
// The model file: one binary file, versioned, little-endian field by field, checksummed in 128-byte blocks.
//
// Layout (format 2; format 1, still read, differs only in its 1 KiB blocks):
//   header (128 bytes)  magic "SPAMCORE", format version, file size, block size, block count, section count,
//                       checksum of the block-checksum table, checksum of header + section table
//   section table       { kind, offset, size } per section
//   block checksums     hash64 of every block_size bytes of the data area
//   data area           META (key=value text: algorithm, thresholds, parameters, counts, times, tokenizer settings),
//                       NB (bits, probe bound, entry count, then a linear-probing table of {id, spam, ham}: the
//                       layout of inserting in id order, homes the top bits of the id; the probe bound is 1 + the
//                       largest distance of an entry past its home, 0 in files written before stop 20),
//                       LR (bias + 2^bits weights),
//                       DIGESTS (sorted SHA-256 of learned messages + label), NAMES (readable names of the
//                       strongest features, for inspect)
//
// Why blocks: a scorer must open a model of a million features in well under a millisecond, which a checksum
// over the whole file cannot do (~6 GB/s here: 3 ms for 16 MB). The header and section table are verified at
// open, and META; each data block is checked against its checksum the first time a lookup touches it. A flipped
// byte -- in a block or in the checksum table -- is therefore always refused before it can change a score. Full
// loads (learn, train --incremental, import, inspect) verify every block and the checksum table as a whole, whose
// checksum the header's covers (the model's digest names its whole content).
// Why small blocks: a lookup reads 16 bytes of a cold block, so hashing the whole block is the scorer's cost; with
// 1 KiB blocks it was 15% of a `score` process (docs/speed.md).
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "spamcore/model/model.hpp"

namespace spamcore::store {

/// 2: 128-byte blocks (format 1, 1 KiB blocks, is still read).
inline constexpr std::uint32_t kFormatVersion = 2;

/// Writes `model` to `path` atomically: a temporary file in the same directory, fsync, rename over `path`, fsync
/// of the directory. `names` (feature id -> readable name) are stored for the strongest features only.
void save_atomic(const std::string& path, const model::Model& model,
                 const std::unordered_map<FeatureId, std::string>& names = {});

/// The size in bytes of the file save_atomic would write for `model` (eval reports it), without writing it.
std::uint64_t file_size(const model::Model& model, const std::unordered_map<FeatureId, std::string>& names = {});

/// Reads and fully verifies the whole model (for updating it). Throws Error(model, path, ...) on any corruption.
model::Model load(const std::string& path, std::unordered_map<FeatureId, std::string>* names = nullptr);

/// A model opened for scoring: memory-mapped, verified lazily block by block.
class ModelView {
 public:
  /// Throws Error(model, path, ...) for a missing, truncated, foreign, future-version or corrupt file.
  static std::unique_ptr<ModelView> open(const std::string& path);
  ~ModelView();
  ModelView(const ModelView&) = delete;
  ModelView& operator=(const ModelView&) = delete;

  const model::ModelConfig& config() const;
  std::uint64_t spam_messages() const;
  std::uint64_t ham_messages() const;
  /// 12 hex digits of the header checksum, which covers the record of the block-checksum table: names the model
  /// content as written (X-Spam-Status model=). The scorer checks blocks, not the table against the record; a full
  /// load checks both.
  std::string digest() const;
  /// The file's format version: kFormatVersion, or an older one still read (the next save writes kFormatVersion).
  std::uint32_t format_version() const;

  /// Scores a bag made with config().tokenizer. Throws Error(model) if a touched block is corrupt.
  model::Score score(const FeatureBag& features, bool explain = false) const;

  struct Impl;

 private:
  explicit ModelView(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace spamcore::store
