// The model file (layout and the reasoning behind block checksums: spamcore/store/model_file.hpp).
#include "spamcore/store/model_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "spamcore/base/error.hpp"
#include "spamcore/base/hash.hpp"
#include "spamcore/store/file_lock.hpp"
#include "store/bytes.hpp"
#include "store/layout.hpp"
#include "store/meta.hpp"
#include "store/model_writer.hpp"

namespace spamcore::store {
namespace {

using detail::ByteReader;
using detail::load_u32;
using detail::load_u64;

using detail::kChecksumSeed;
using detail::kDigestEntry;
using detail::kHeaderSize;
using detail::kMagic;
using detail::kMaxSections;
using detail::kNbEntry;
using detail::kSectionEntry;
using detail::Section;
using detail::slot_key;

[[noreturn]] void corrupt(const std::string& path, const std::string& what) {
  throw Error(ErrorKind::model, path, what);
}

// --- reading ----------------------------------------------------------------------------------------------------

struct Mapping {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data && size) ::munmap(const_cast<unsigned char*>(data), size);
  }
};

struct SectionRef {
  std::uint64_t offset = 0, size = 0;
  bool present = false;
};

// Which blocks were verified: a bit each, so a model of 170k blocks costs 21 KB of fresh memory.
class Bits {
 public:
  void assign(std::uint64_t n) { words_.assign((n + 63) / 64, 0); }
  bool test(std::uint64_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  void set(std::uint64_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace

// Everything the scorer needs, pointing into the mapping. Blocks are verified on first touch.
struct ModelView::Impl {
  std::string path;
  Mapping map;
  std::uint64_t data_offset = 0, blocks = 0;
  std::uint32_t version = 0, block_size = 0;
  const unsigned char* block_sums = nullptr;
  mutable Bits verified;
  SectionRef sections[6];
  std::uint64_t header_sum = 0;
  detail::ModelMeta meta;  // config, counts and times (no tables)
  std::uint32_t nb_bits = 0;
  /// No entry lies further past its home slot (the table's size less one when the file does not say).
  std::uint64_t nb_max_displacement = 0;
  const unsigned char* nb_slots = nullptr;
  std::uint32_t lr_bits = 0;
  float lr_bias = 0;
  const unsigned char* lr_weights = nullptr;

  // A block's checksum is checked against the block the first time a lookup touches it. The table of checksums
  // is not hashed at open (for a 21 MB model it is 1.3 MB): a flipped byte in it fails its own block's check the
  // same way, before that block is read.
  void verify_block(std::uint64_t b) const {
    if (verified.test(b)) return;
    const std::uint64_t off = data_offset + b * block_size;
    const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(block_size, map.size - off));
    // A scorer touches each block once, cold: ask for all its cache lines at once rather than one after the other.
    for (std::size_t i = 0; i < len; i += 64) __builtin_prefetch(map.data + off + i);
    if (hash64(map.data + off, len, kChecksumSeed + b) != load_u64(block_sums + 8 * b))
      corrupt(path, "model file is corrupt (checksum mismatch in block " + std::to_string(b) + ")");
    verified.set(b);
  }
  void verify_range(std::uint64_t off, std::uint64_t len) const {
    if (len == 0) return;
    const std::uint64_t first = (off - data_offset) / block_size, last = (off + len - 1 - data_offset) / block_size;
    for (std::uint64_t b = first; b <= last; ++b) verify_block(b);
  }
  /// Every block, and the checksum table as a whole against its record in the header (offset 48, which the header
  /// checksum covers: the model's digest).
  void verify_all() const {
    if (hash64(block_sums, 8 * blocks, kChecksumSeed) != load_u64(map.data + 48))
      corrupt(path, "model checksum table is corrupt");
    for (std::uint64_t b = 0; b < blocks; ++b) verify_block(b);
  }
  const unsigned char* section(Section s, std::uint64_t* size) const {
    const SectionRef& r = sections[static_cast<std::uint32_t>(s)];
    *size = r.present ? r.size : 0;
    return r.present ? map.data + r.offset : nullptr;
  }

  model::NbCounts nb_lookup(FeatureId id) const {
    if (!nb_slots) return {};
    const FeatureId key = slot_key(id);
    const std::uint64_t mask = (std::uint64_t{1} << nb_bits) - 1;
    std::uint64_t h = key >> (64 - nb_bits);
    for (std::uint64_t probes = 0; probes <= nb_max_displacement; ++probes, h = (h + 1) & mask) {
      const unsigned char* e = nb_slots + h * kNbEntry;
      verify_range(static_cast<std::uint64_t>(e - map.data), kNbEntry);
      const FeatureId stored = load_u64(e);
      if (stored == key) return {load_u32(e + 8), load_u32(e + 12)};
      if (stored == 0) return {};
    }
    return {};
  }
  /// A hint that `id` will be looked up soon (a message's ids are known in advance; the table is far larger than
  /// the cache). Only a hint: nothing is read, so nothing needs checking.
  void nb_prefetch(FeatureId id) const {
    if (nb_slots) prefetch_block_of(nb_slots + (slot_key(id) >> (64 - nb_bits)) * kNbEntry);
  }
  void lr_prefetch(FeatureId id) const {
    prefetch_block_of(lr_weights + 4 * static_cast<std::uint64_t>(model::bucket(id, lr_bits)));
  }
  // The line at `p`, and what verifying its block will read: the block's other line and its checksum.
  void prefetch_block_of(const unsigned char* p) const {
    __builtin_prefetch(p);
    const std::uint64_t b = static_cast<std::uint64_t>(p - map.data - data_offset) / block_size;
    if (verified.test(b)) return;
    __builtin_prefetch(block_sums + 8 * b);
    __builtin_prefetch(map.data + std::min<std::uint64_t>(data_offset + (b + 1) * block_size, map.size) - 1);
  }
  float lr_weight(FeatureId id) const {
    const unsigned char* w = lr_weights + 4 * static_cast<std::uint64_t>(model::bucket(id, lr_bits));
    verify_range(static_cast<std::uint64_t>(w - map.data), 4);
    return detail::load_f32(w);
  }
};

namespace {

std::unique_ptr<ModelView::Impl> open_impl(const std::string& path) {
  auto impl = std::make_unique<ModelView::Impl>();
  impl->path = path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    throw Error(err == ENOENT ? ErrorKind::model : ErrorKind::io, path,
                std::string("cannot open model: ") + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw_errno(path, "cannot stat model");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorKind::model, path,
                S_ISDIR(st.st_mode) ? "is a directory, not a model file" : "is not a regular file");
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kHeaderSize) {
    // A short file that does not even begin as a model is a foreign file, not a truncated model.
    char start[8] = {};
    const std::size_t want = std::min<std::size_t>(size, sizeof start);
    const ssize_t got = ::pread(fd, start, want, 0);
    if (got < 0) {
      const int err = errno;
      ::close(fd);
      errno = err;
      throw_errno(path, "cannot read model");
    }
    const bool ours = static_cast<std::size_t>(got) == want && std::memcmp(start, kMagic, want) == 0;
    ::close(fd);
    if (size == 0) corrupt(path, "model file is empty");
    corrupt(path, ours ? "model file is truncated (shorter than its header)" : "not a spamcore model (bad magic)");
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file (and this exact version of it, after a rename) alive
  if (p == MAP_FAILED) throw_errno(path, "cannot map model");
  // When the file is not in the page cache (after a reboot, or evicted), the faults of this mapping read it in. Without
  // the hint they read it as 4 KiB pages, and every later scorer maps those one fault-around at a time (3.0 ms of CPU
  // against 1.3 for a `score` of the split's model); with it, as 2 MiB folios, as the writer's writes leave it. A hint
  // only: where the kernel has no such folios for the file system, nothing changes.
  ::madvise(p, size, MADV_HUGEPAGE);
  impl->map.data = static_cast<const unsigned char*>(p);
  impl->map.size = size;
  const unsigned char* d = impl->map.data;

  if (std::memcmp(d, kMagic, 8) != 0) corrupt(path, "not a spamcore model (bad magic)");
  const std::uint32_t version = load_u32(d + 8);
  if (version > kFormatVersion)
    corrupt(path, "model format version " + std::to_string(version) + " is newer than this spamcore (" +
                      std::to_string(kFormatVersion) + "); upgrade spamcore");
  if (version == 0) corrupt(path, "model format version 0 is invalid");
  if (load_u32(d + 12) != kHeaderSize) corrupt(path, "model header size is wrong");
  const std::uint64_t recorded_size = load_u64(d + 16);
  if (recorded_size != size)
    corrupt(path, recorded_size > size ? "model file is truncated" : "model file has trailing bytes");
  impl->version = version;
  impl->block_size = detail::block_size(version);
  if (load_u32(d + 24) != impl->block_size) corrupt(path, "model block size is wrong");
  const std::uint32_t nsections = load_u32(d + 28);
  if (nsections == 0 || nsections > kMaxSections) corrupt(path, "model section count is wrong");
  impl->data_offset = load_u64(d + 32);
  impl->blocks = load_u64(d + 40);
  const std::uint64_t table_end = kHeaderSize + kSectionEntry * nsections;
  const std::uint64_t block_size = impl->block_size;
  // Bounded before any arithmetic with it: a forged count must not wrap the sum below.
  if (impl->blocks > size) corrupt(path, "model layout is inconsistent");
  const std::uint64_t sums_end = table_end + 8 * impl->blocks;
  if (impl->data_offset > size || impl->data_offset < sums_end ||
      impl->blocks != (size - impl->data_offset + block_size - 1) / block_size)
    corrupt(path, "model layout is inconsistent");
  // Header checksum: header fields before it plus the section table.
  std::string covered(reinterpret_cast<const char*>(d), 56);
  covered.append(reinterpret_cast<const char*>(d + kHeaderSize), kSectionEntry * nsections);
  impl->header_sum = load_u64(d + 56);
  if (hash64(covered, kChecksumSeed) != impl->header_sum) corrupt(path, "model header is corrupt (checksum)");
  for (std::size_t i = 64; i < kHeaderSize; ++i)
    if (d[i] != 0) corrupt(path, "model header is corrupt (reserved bytes)");
  impl->block_sums = d + table_end;
  for (std::uint64_t i = sums_end; i < impl->data_offset; ++i)
    if (d[i] != 0) corrupt(path, "model file is corrupt (padding)");
  impl->verified.assign(impl->blocks);

  for (std::uint32_t i = 0; i < nsections; ++i) {
    const unsigned char* e = d + kHeaderSize + kSectionEntry * i;
    const std::uint32_t kind = load_u32(e);
    const std::uint64_t off = load_u64(e + 8), len = load_u64(e + 16);
    if (kind < 1 || kind > 5 || off < impl->data_offset || off > size || len > size - off)
      corrupt(path, "model section table is corrupt");
    impl->sections[kind] = {off, len, true};
  }
  std::uint64_t meta_size = 0;
  const unsigned char* meta = impl->section(Section::meta, &meta_size);
  if (!meta) corrupt(path, "model has no metadata");
  impl->verify_range(static_cast<std::uint64_t>(meta - d), meta_size);
  impl->meta = detail::meta_from_pairs(
      detail::meta_from_text(std::string_view(reinterpret_cast<const char*>(meta), meta_size), path), path);

  const model::Algorithm algo = impl->meta.config.algorithm;
  std::uint64_t n = 0;
  if (const unsigned char* nb = impl->section(Section::nb, &n)) {
    impl->verify_range(static_cast<std::uint64_t>(nb - d), std::min<std::uint64_t>(n, 16));
    if (n < 16) corrupt(path, "model NB table is truncated");
    impl->nb_bits = load_u32(nb);
    if (impl->nb_bits < 4 || impl->nb_bits > 40 || n != 16 + (std::uint64_t{1} << impl->nb_bits) * kNbEntry)
      corrupt(path, "model NB table has a bad size");
    const std::uint64_t mask = (std::uint64_t{1} << impl->nb_bits) - 1;
    const std::uint32_t bound = load_u32(nb + 4);  // 1 + the largest displacement; 0: not recorded (before stop 20)
    if (bound > mask + 1) corrupt(path, "model NB table has a bad probe bound");
    impl->nb_max_displacement = bound == 0 ? mask : bound - 1;
    impl->nb_slots = nb + 16;
  } else if (algo != model::Algorithm::logreg) {
    corrupt(path, "model lacks its NB table");
  }
  if (const unsigned char* lr = impl->section(Section::lr, &n)) {
    impl->verify_range(static_cast<std::uint64_t>(lr - d), std::min<std::uint64_t>(n, 8));
    if (n < 8) corrupt(path, "model weights are truncated");
    impl->lr_bits = load_u32(lr);
    impl->lr_bias = detail::load_f32(lr + 4);
    if (impl->lr_bits != impl->meta.config.lr.bits || n != 8 + 4 * (std::uint64_t{1} << impl->lr_bits))
      corrupt(path, "model weights have a bad size");
    impl->lr_weights = lr + 8;
  } else if (algo != model::Algorithm::nb) {
    corrupt(path, "model lacks its weights");
  }
  return impl;
}

// The process's umask, read without changing it (umask(2) can only read it by setting it, which would race with
// other threads creating files); Linux reports it in /proc/self/status.
mode_t current_umask() {
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    unsigned mask = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, f)) found = std::sscanf(line, "Umask: %o", &mask) == 1;
    std::fclose(f);
    if (found) return static_cast<mode_t>(mask);
  }
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

}  // namespace

// --- public -----------------------------------------------------------------------------------------------------

std::uint64_t file_size(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names) {
  return detail::model_file_size(m, names);
}

void save_atomic(const std::string& path, const model::Model& m,
                 const std::unordered_map<FeatureId, std::string>& names) {
  // Through a symbolic link: the model it points to is replaced, the link stays.
  const std::string real = resolve_model_link(path);
  const std::filesystem::path target(real);
  // The new file gets the old one's permissions (a model made private stays private), or those the umask gives a
  // new file: the model holds feature names taken from mail and the digests of learned messages.
  struct stat old_stat {};
  const bool replacing = ::stat(real.c_str(), &old_stat) == 0;
  const mode_t mode = replacing ? old_stat.st_mode & 07777 : 0666 & ~current_umask();
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw_errno(path, "cannot create a temporary file beside the model");
  try {
    detail::write_model_file(fd, tmpl, m, names);
    // Its owner too, where we may (root retraining a user's model must not leave a file the user cannot read).
    if (replacing && (old_stat.st_uid != ::geteuid() || old_stat.st_gid != ::getegid()))
      (void)::fchown(fd, old_stat.st_uid, old_stat.st_gid);
    if (::fchmod(fd, mode) != 0) throw_errno(tmpl, "cannot set permissions");
    if (::fsync(fd) != 0) throw_errno(tmpl, "cannot fsync");
    if (::close(fd) != 0) throw_errno(tmpl, "cannot close");
  } catch (...) {
    ::close(fd);
    ::unlink(tmpl.c_str());
    throw;
  }
  if (::rename(tmpl.c_str(), real.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmpl.c_str());
    errno = err;
    throw_errno(path, "cannot replace the model");
  }
  // The rename is durable only once the directory is.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

model::Model load(const std::string& path, std::unordered_map<FeatureId, std::string>* names) {
  const auto impl = open_impl(path);
  impl->verify_all();
  model::Model m = detail::model_from_meta(impl->meta);
  const auto* d = impl->map.data;
  std::uint64_t n = 0;
  if (impl->nb_slots) {
    const std::uint64_t capacity = std::uint64_t{1} << impl->nb_bits;
    // The stored count sizes the table; a crafted file could claim more entries than its slots hold.
    const std::uint64_t count = load_u64(d + impl->sections[2].offset + 8);
    if (count > capacity) corrupt(path, "model file is corrupt (naive Bayes count larger than its table)");
    m.nb.table.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t i = 0; i < capacity; ++i) {
      const unsigned char* e = impl->nb_slots + i * kNbEntry;
      const FeatureId id = load_u64(e);
      if (id == 0) continue;
      // An entry past the bound would be invisible to every scorer.
      if (((i - (id >> (64 - impl->nb_bits))) & (capacity - 1)) > impl->nb_max_displacement)
        corrupt(path, "model NB table has a bad probe bound");
      m.nb.table[id] = {load_u32(e + 8), load_u32(e + 12)};
    }
  }
  if (impl->lr_weights) {
    const auto w = m.lr.weights();
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = detail::load_f32(impl->lr_weights + 4 * i);
    m.lr.bias = impl->lr_bias;
    // A full load reads every weight anyway; one that is not finite would be learned from and exported as null.
    if (!std::isfinite(m.lr.bias) || !std::all_of(w.begin(), w.end(), [](float x) { return std::isfinite(x); }))
      corrupt(path, "model weights are corrupt (not finite)");
  }
  if (const unsigned char* s = impl->section(Section::digests, &n)) {
    ByteReader r(s, n);
    const std::uint64_t count = r.u64();
    if (!r.ok() || count > r.remaining() / kDigestEntry) corrupt(path, "model digest list is corrupt");
    std::map<Sha256Digest, bool> learned;
    for (std::uint64_t i = 0; i < count; ++i) {
      Sha256Digest dg;
      std::memcpy(dg.data(), r.bytes(32).data(), 32);
      learned.emplace_hint(learned.end(), dg, r.u8() != 0);
    }
    m.set_learned(std::move(learned));
  }
  if (names) {
    if (const unsigned char* s = impl->section(Section::names, &n)) {
      ByteReader r(s, n);
      const std::uint64_t count = r.u64();
      for (std::uint64_t i = 0; i < count && r.ok(); ++i) {
        const FeatureId id = r.u64();
        const std::uint32_t len = r.u32();
        const std::string_view name = r.bytes(len);
        if (r.ok()) (*names)[id] = std::string(name);
      }
      if (!r.ok()) corrupt(path, "model name list is corrupt");
    }
  }
  return m;
}

ModelView::ModelView(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModelView::~ModelView() = default;

std::unique_ptr<ModelView> ModelView::open(const std::string& path) {
  return std::unique_ptr<ModelView>(new ModelView(open_impl(path)));
}

const model::ModelConfig& ModelView::config() const { return impl_->meta.config; }
std::uint64_t ModelView::spam_messages() const { return impl_->meta.spam_messages; }
std::uint64_t ModelView::ham_messages() const { return impl_->meta.ham_messages; }

std::uint32_t ModelView::format_version() const { return impl_->version; }

std::string ModelView::digest() const {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 60; i >= 16; i -= 4) out.push_back(hex[(impl_->header_sum >> i) & 15]);
  return out;
}

model::Score ModelView::score(const FeatureBag& features, bool explain) const {
  const model::ModelConfig& c = config();
  const bool use_nb = c.algorithm != model::Algorithm::logreg, use_lr = c.algorithm != model::Algorithm::nb;
  std::vector<model::Evidence> nb_ev, lr_ev;
  model::Score nb_s, lr_s;
  if (use_nb) {
    const Impl& impl = *impl_;
    thread_local model::NbMessageCounts found;
    model::look_up_counts(
        features, [&impl](FeatureId id) { return impl.nb_lookup(id); },
        [&impl](FeatureId id) { impl.nb_prefetch(id); }, found,
        model::context_check_applies(c.nb, impl.meta.nb_spam_messages, impl.meta.nb_ham_messages));
    nb_s = model::nb_score(features, found, impl.meta.nb_spam_messages, impl.meta.nb_ham_messages, c.nb,
                           explain ? &nb_ev : nullptr);
  }
  if (use_lr) {
    double z = 0;
    constexpr std::size_t kAhead = 12;
    const std::vector<FeatureId>& ids = features.ids;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const FeatureId id = ids[i];
      if (i + kAhead < ids.size()) impl_->lr_prefetch(ids[i + kAhead]);
      const float w = impl_->lr_weight(id);
      z += w;
      if (explain) lr_ev.push_back({id, w});
    }
    const double scale = c.lr.normalize && !features.ids.empty() ? 1.0 / std::sqrt(double(features.ids.size())) : 1.0;
    lr_s.logit = impl_->lr_bias + z * scale;
    lr_s.probability = model::sigmoid(lr_s.logit);
    for (auto& e : lr_ev) e.weight *= scale;
  }
  model::Score s = model::combine(c, use_nb ? &nb_s : nullptr, use_lr ? &lr_s : nullptr, impl_->meta.spam_messages,
                                  impl_->meta.ham_messages);
  // Weights are checked block by block, not value by value (opening must stay fast): a file forged with every
  // checksum right could still hold a NaN or infinite weight. It is refused here, never printed as a score -- the
  // logistic part checked on its own too, since combo bounds it (tanh turns an infinite sum into a finite score).
  if (!std::isfinite(s.logit) || !(s.probability >= 0 && s.probability <= 1) || !std::isfinite(lr_s.logit))
    corrupt(impl_->path, "model gives a non-finite score: corrupt weights");
  if (explain)
    model::attach_evidence(s, c, std::move(nb_ev), std::move(lr_ev), impl_->meta.spam_messages,
                           impl_->meta.ham_messages);
  return s;
}

}  // namespace spamcore::store
