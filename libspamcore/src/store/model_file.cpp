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
#include <functional>
#include <ctime>
#include <filesystem>

#include "spamcore/base/zeroed_array.hpp"
#include "spamcore/base/error.hpp"
#include "spamcore/base/hash.hpp"
#include "spamcore/store/file_lock.hpp"
#include "store/bytes.hpp"
#include "store/meta.hpp"

namespace spamcore::store {
namespace {

using detail::ByteReader;
using detail::ByteWriter;
using detail::load_u32;
using detail::load_u64;

constexpr char kMagic[8] = {'S', 'P', 'A', 'M', 'C', 'O', 'R', 'E'};
constexpr std::size_t kHeaderSize = 128;
constexpr std::size_t kSectionEntry = 24;
constexpr std::uint32_t kBlockSize = 1024;
constexpr std::uint64_t kChecksumSeed = 0x6d6f64656c763121ull;  // "model v1!"
constexpr std::uint32_t kMaxSections = 16;

enum class Section : std::uint32_t { meta = 1, nb = 2, lr = 3, digests = 4, names = 5 };

constexpr std::size_t kNbEntry = 16;
constexpr std::size_t kDigestEntry = 33;

// Feature id 0 marks an empty slot of the NB table; the one id in 2^64 that hashes to 0 is stored as 1.
FeatureId slot_key(FeatureId id) { return id == 0 ? 1 : id; }

[[noreturn]] void corrupt(const std::string& path, const std::string& what) {
  throw Error(ErrorKind::model, path, what);
}

// --- writing ----------------------------------------------------------------------------------------------------

// Load factor at most 3/4: probes stay short for the scorer, the file stays small.
std::uint32_t nb_bits(const model::NaiveBayes& nb) {
  std::uint32_t bits = 4;
  while ((std::uint64_t{1} << bits) * 3 < nb.table.size() * 4 + 4) ++bits;
  return bits;
}

std::size_t nb_section_size(const model::NaiveBayes& nb) { return 16 + (std::size_t{1} << nb_bits(nb)) * kNbEntry; }

/// Writes the NB section into `base` (nb_section_size bytes, zeroed): written in place, the tens of MB of the
/// table are neither allocated twice nor copied.
void write_nb_section(const model::NaiveBayes& nb, unsigned char* base) {
  const std::uint32_t bits = nb_bits(nb);
  const std::uint64_t capacity = std::uint64_t{1} << bits;
  detail::store_u32(base, bits);
  detail::store_u64(base + 8, nb.table.size());
  unsigned char* slots = base + 16;
  // The same counts must always give the same bytes, whatever the in-memory table's order. With linear probing
  // the set of occupied slots does not depend on insertion order, and entries never probe across a free slot; so
  // placing entries in any order, then re-placing each run of occupied slots in id order, gives exactly the layout
  // of inserting everything in id order -- without sorting the whole table (that sort was 7% of training).
  const std::uint64_t mask = capacity - 1;
  auto place = [&](FeatureId key, const model::NbCounts& c) {
    std::uint64_t h = key >> (64 - bits);
    while (load_u64(slots + h * kNbEntry) != 0) h = (h + 1) & mask;
    unsigned char* e = slots + h * kNbEntry;
    detail::store_u64(e, key);
    detail::store_u32(e + 8, c.spam);
    detail::store_u32(e + 12, c.ham);
  };
  for (const auto& [id, c] : nb.table) place(slot_key(id), c);
  // Start just after a free slot (the load factor guarantees one), so no run is cut by the wrap-around.
  std::uint64_t start = 0;
  while (load_u64(slots + start * kNbEntry) != 0) ++start;
  std::vector<std::pair<FeatureId, model::NbCounts>> run;
  for (std::uint64_t n = 0, i = (start + 1) & mask; n < capacity; ++n, i = (i + 1) & mask) {
    unsigned char* e = slots + i * kNbEntry;
    if (load_u64(e) != 0) {
      run.push_back({load_u64(e), {load_u32(e + 8), load_u32(e + 12)}});
      std::memset(e, 0, kNbEntry);
      continue;
    }
    if (run.size() > 1) std::sort(run.begin(), run.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [key, c] : run) place(key, c);
    run.clear();
  }
}

std::size_t lr_section_size(const model::Logistic& lr) { return 8 + 4 * static_cast<std::size_t>(lr.weights().size()); }

void write_lr_section(const model::Logistic& lr, unsigned char* p) {
  const auto& w = lr.weights();
  detail::store_u32(p, lr.params().bits);
  detail::store_u32(p + 4, detail::f32_bits(lr.bias));
  for (std::size_t i = 0; i < static_cast<std::size_t>(w.size()); ++i)
    detail::store_u32(p + 8 + 4 * i, detail::f32_bits(w[i]));
}

std::string digests_section(const model::Model& m) {
  ByteWriter w;
  w.u64(m.learned().size());
  for (const auto& [d, spam] : m.learned()) {  // std::map: already sorted
    w.bytes(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
    w.u8(spam ? 1 : 0);
  }
  return std::move(w.buffer());
}

std::string names_section(const std::unordered_map<FeatureId, std::string>& names) {
  std::vector<std::pair<FeatureId, std::string_view>> sorted(names.begin(), names.end());
  std::sort(sorted.begin(), sorted.end());
  ByteWriter w;
  w.u64(sorted.size());
  for (const auto& [id, name] : sorted) {
    w.u64(id);
    w.u32(static_cast<std::uint32_t>(std::min<std::size_t>(name.size(), 1024)));
    w.bytes(name.substr(0, 1024));
  }
  return std::move(w.buffer());
}

// The file's bytes: tens of MiB, zero from the start (base/zeroed_array.hpp).
using FileBytes = ZeroedArray<char>;

FileBytes serialise(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names) {
  // A section is its bytes, or (the two large ones) its size and a function that writes it in place.
  struct Part {
    Section kind;
    std::string bytes;
    std::size_t size = 0;
    std::function<void(unsigned char*)> write;
  };
  std::vector<Part> sections;
  auto small = [&](Section kind, std::string bytes) {
    const std::size_t n = bytes.size();
    sections.push_back({kind, std::move(bytes), n, {}});
  };
  small(Section::meta, detail::meta_to_text(detail::meta_from_model(m)));
  if (m.config().algorithm != model::Algorithm::logreg)
    sections.push_back({Section::nb, {}, nb_section_size(m.nb), [&](unsigned char* p) { write_nb_section(m.nb, p); }});
  if (m.config().algorithm != model::Algorithm::nb)
    sections.push_back({Section::lr, {}, lr_section_size(m.lr), [&](unsigned char* p) { write_lr_section(m.lr, p); }});
  small(Section::digests, digests_section(m));
  small(Section::names, names_section(names));

  // Data area sizes first: they fix the number of blocks, which fixes where the data area starts. The file is
  // then assembled in one buffer, each section written or copied into it once.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> placed;  // offset in data, size
  std::uint64_t area_size = 0;
  for (const Part& part : sections) {
    area_size = (area_size + 63) / 64 * 64;
    placed.emplace_back(area_size, part.size);
    area_size += part.size;
  }
  const std::uint64_t blocks = (area_size + kBlockSize - 1) / kBlockSize;
  std::uint64_t data_offset = kHeaderSize + kSectionEntry * sections.size() + 8 * blocks;
  data_offset = (data_offset + 63) / 64 * 64;
  FileBytes file(data_offset + area_size);  // zeroed, as the in-place writers expect
  char* area = file.data() + data_offset;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    char* at = area + placed[i].first;
    if (sections[i].write) sections[i].write(reinterpret_cast<unsigned char*>(at));
    else std::memcpy(at, sections[i].bytes.data(), sections[i].bytes.size());
    std::string().swap(sections[i].bytes);
  }

  ByteWriter table;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    table.u32(static_cast<std::uint32_t>(sections[i].kind));
    table.u32(0);
    table.u64(data_offset + placed[i].first);
    table.u64(placed[i].second);
  }
  ByteWriter block_sums;
  for (std::uint64_t b = 0; b < blocks; ++b) {
    const std::size_t off = b * kBlockSize;
    block_sums.u64(hash64(area + off, std::min<std::size_t>(kBlockSize, area_size - off), kChecksumSeed + b));
  }
  const std::uint64_t block_table_sum = hash64(block_sums.buffer(), kChecksumSeed);

  ByteWriter header;
  header.bytes(std::string_view(kMagic, 8));
  header.u32(kFormatVersion);
  header.u32(kHeaderSize);
  header.u64(data_offset + area_size);
  header.u32(kBlockSize);
  header.u32(static_cast<std::uint32_t>(sections.size()));
  header.u64(data_offset);
  header.u64(blocks);
  header.u64(block_table_sum);
  const std::uint64_t header_sum = hash64(header.buffer() + table.buffer(), kChecksumSeed);
  header.u64(header_sum);
  header.pad_to(kHeaderSize);

  char* out = file.data();
  for (const std::string* part : {&header.buffer(), &table.buffer(), &block_sums.buffer()}) {
    std::memcpy(out, part->data(), part->size());
    out += part->size();
  }
  return file;
}

void write_all(int fd, const FileBytes& bytes, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(path, "cannot write");
    done += static_cast<std::size_t>(n);
  }
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

}  // namespace

// Everything the scorer needs, pointing into the mapping. Blocks are verified on first touch.
struct ModelView::Impl {
  std::string path;
  Mapping map;
  std::uint64_t data_offset = 0, blocks = 0;
  const unsigned char* block_sums = nullptr;
  mutable std::vector<std::uint8_t> verified;
  SectionRef sections[6];
  std::uint64_t header_sum = 0;
  detail::ModelMeta meta;  // config, counts and times (no tables)
  std::uint32_t nb_bits = 0;
  const unsigned char* nb_slots = nullptr;
  std::uint32_t lr_bits = 0;
  float lr_bias = 0;
  const unsigned char* lr_weights = nullptr;

  void verify_block(std::uint64_t b) const {
    if (verified[b]) return;
    const std::uint64_t off = data_offset + b * kBlockSize;
    const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(kBlockSize, map.size - off));
    if (hash64(map.data + off, len, kChecksumSeed + b) != load_u64(block_sums + 8 * b))
      corrupt(path, "model file is corrupt (checksum mismatch in block " + std::to_string(b) + ")");
    verified[b] = 1;
  }
  void verify_range(std::uint64_t off, std::uint64_t len) const {
    if (len == 0) return;
    const std::uint64_t first = (off - data_offset) / kBlockSize, last = (off + len - 1 - data_offset) / kBlockSize;
    for (std::uint64_t b = first; b <= last; ++b) verify_block(b);
  }
  void verify_all() const {
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
    for (std::uint64_t probes = 0; probes <= mask; ++probes, h = (h + 1) & mask) {
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
    if (nb_slots) __builtin_prefetch(nb_slots + (slot_key(id) >> (64 - nb_bits)) * kNbEntry);
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
    ::close(fd);
    corrupt(path, size == 0 ? "model file is empty" : "model file is truncated (shorter than its header)");
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file (and this exact version of it, after a rename) alive
  if (p == MAP_FAILED) throw_errno(path, "cannot map model");
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
  const std::uint64_t file_size = load_u64(d + 16);
  if (file_size != size)
    corrupt(path, file_size > size ? "model file is truncated" : "model file has trailing bytes");
  if (load_u32(d + 24) != kBlockSize) corrupt(path, "model block size is wrong");
  const std::uint32_t nsections = load_u32(d + 28);
  if (nsections == 0 || nsections > kMaxSections) corrupt(path, "model section count is wrong");
  impl->data_offset = load_u64(d + 32);
  impl->blocks = load_u64(d + 40);
  const std::uint64_t table_end = kHeaderSize + kSectionEntry * nsections;
  if (impl->data_offset > size || impl->data_offset < table_end + 8 * impl->blocks ||
      impl->blocks != (size - impl->data_offset + kBlockSize - 1) / kBlockSize)
    corrupt(path, "model layout is inconsistent");
  // Header checksum: header fields before it plus the section table.
  std::string covered(reinterpret_cast<const char*>(d), 56);
  covered.append(reinterpret_cast<const char*>(d + kHeaderSize), kSectionEntry * nsections);
  impl->header_sum = load_u64(d + 56);
  if (hash64(covered, kChecksumSeed) != impl->header_sum) corrupt(path, "model header is corrupt (checksum)");
  for (std::size_t i = 64; i < kHeaderSize; ++i)
    if (d[i] != 0) corrupt(path, "model header is corrupt (reserved bytes)");
  impl->block_sums = d + table_end;
  if (hash64(impl->block_sums, 8 * impl->blocks, kChecksumSeed) != load_u64(d + 48))
    corrupt(path, "model checksum table is corrupt");
  for (std::uint64_t i = table_end + 8 * impl->blocks; i < impl->data_offset; ++i)
    if (d[i] != 0) corrupt(path, "model file is corrupt (padding)");
  impl->verified.assign(impl->blocks, 0);

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

void save_atomic(const std::string& path, const model::Model& m,
                 const std::unordered_map<FeatureId, std::string>& names) {
  const FileBytes bytes = serialise(m, names);
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
    write_all(fd, bytes, tmpl);
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
      if (id != 0) m.nb.table[id] = {load_u32(e + 8), load_u32(e + 12)};
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
    for (FeatureId id : features.ids) {
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
  // checksum right could still hold a NaN or infinite weight. It is refused here, never printed as a score.
  if (!std::isfinite(s.logit) || !(s.probability >= 0 && s.probability <= 1))
    corrupt(impl_->path, "model gives a non-finite score: corrupt weights");
  if (explain)
    model::attach_evidence(s, c, std::move(nb_ev), std::move(lr_ev), impl_->meta.spam_messages,
                           impl_->meta.ham_messages);
  return s;
}

}  // namespace spamcore::store
