// The model file, written as a stream: data area first (each section produced in order, block checksums taken as
// the bytes go by), then what precedes it. Assembling the file in memory first cost a third of training's peak
// memory and a copy of every byte.
#include "store/model_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <vector>

#include "spamcore/base/error.hpp"
#include "spamcore/base/hash.hpp"
#include "spamcore/store/model_file.hpp"
#include "store/bytes.hpp"
#include "store/layout.hpp"
#include "store/meta.hpp"

namespace spamcore::store::detail {
namespace {

void write_at(int fd, const char* data, std::size_t size, off_t offset, const std::string& path) {
  if (write_observer) write_observer(static_cast<std::uint64_t>(offset), size);
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(path, "cannot write");
    if (n == 0) {  // no progress and no error: would loop for ever
      errno = EIO;
      throw_errno(path, "cannot write");
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
}

// The data area's bytes, in order: buffered, checksummed a block at a time, written behind `base`.
class AreaSink {
 public:
  AreaSink(int fd, off_t base, std::uint64_t blocks, const std::string& path) : fd_(fd), base_(base), path_(path) {
    buffer_.reserve(kChunk);
    sums_.buffer().reserve(8 * blocks);
  }
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const char*>(p);
    while (n > 0) {
      const std::size_t take = std::min(n, room());
      buffer_.insert(buffer_.end(), c, c + take);
      c += take;
      n -= take;
      if (room() == kChunk) drain();  // the buffer ends on a boundary
    }
  }
  void zeros(std::size_t n) {
    while (n > 0) {
      const std::size_t take = std::min(n, room());
      buffer_.resize(buffer_.size() + take, '\0');
      n -= take;
      if (room() == kChunk) drain();  // the buffer ends on a boundary
    }
  }
  void u32(std::uint32_t v) {
    unsigned char b[4];
    store_u32(b, v);
    bytes(b, 4);
  }
  void u64(std::uint64_t v) {
    unsigned char b[8];
    store_u64(b, v);
    bytes(b, 8);
  }
  std::uint64_t size() const { return written_ + buffer_.size(); }
  /// Writes what is left; returns the block checksums as the file stores them (the last block may be short).
  std::string& finish() {
    drain();
    return sums_.buffer();
  }

 private:
  // Each write ends at a multiple of 2 MiB in the file. The kernel then caches the file in 2 MiB folios, which a
  // scorer maps with a few faults instead of hundreds: `score` of the split's model, 1.8 -> 1.3 ms of CPU
  // (docs/speed.md). The data area starts on a page, so the first write is whole blocks too.
  static constexpr std::size_t kChunk = std::size_t{2} << 20;
  static_assert(kChunk % kDataAlign == 0 && kDataAlign % kBlockSize == 0);

  std::size_t room() const {
    return kChunk - static_cast<std::size_t>((static_cast<std::uint64_t>(base_) + size()) % kChunk);
  }

  // The buffer holds whole blocks except at the very end, so only the last block can be short.
  void drain() {
    for (std::size_t off = 0; off < buffer_.size(); off += kBlockSize) {
      const std::size_t len = std::min<std::size_t>(kBlockSize, buffer_.size() - off);
      sums_.u64(hash64(buffer_.data() + off, len, kChecksumSeed + sums_.size() / 8));
    }
    write_at(fd_, buffer_.data(), buffer_.size(), base_ + static_cast<off_t>(written_), path_);
    written_ += buffer_.size();
    buffer_.clear();
  }

  int fd_;
  off_t base_;
  const std::string& path_;
  std::vector<char> buffer_;
  std::uint64_t written_ = 0;
  ByteWriter sums_;
};

// Load factor at most 3/4: probes stay short for the scorer, the file stays small.
std::uint32_t nb_bits(const model::NaiveBayes& nb) {
  std::uint32_t bits = 4;
  while ((std::uint64_t{1} << bits) * 3 < nb.table.size() * 4 + 4) ++bits;
  return bits;
}

std::uint64_t nb_section_size(const model::NaiveBayes& nb) {
  return 16 + (std::uint64_t{1} << nb_bits(nb)) * kNbEntry;
}

// The NB section: bits, entry count, then the slots of a linear-probing table. The same counts must always give
// the same bytes, whatever the order they were learned in: the layout is that of inserting the entries in key
// order. Then positions only grow -- each entry at its home slot or just after the one before -- and the few
// that run past the end take the free slots from the start, in order. Which ones those are is known first (from the
// end of the table when it has the file's capacity, else from a pass over every entry); then a pass over the
// entries in key order (the table gives them without a copy) writes the section slot by slot.
//
// The second field bounds lookups: 1 + the largest distance of an entry past its home slot (0, as older writers left
// it: unknown, walk to a free slot). A scorer's lookup stops there, however long the run it lands in.
void write_nb_section(const model::NaiveBayes& nb, AreaSink& out) {
  const std::uint32_t bits = nb_bits(nb);
  const std::uint64_t capacity = std::uint64_t{1} << bits;
  struct Entry {
    FeatureId key;
    model::NbCounts counts;
  };
  // Walks the entries in key order with their positions; those that run past the end go to `wrapped`. A template,
  // not a std::function: it runs once per entry, a million times for a large model.
  auto walk = [&](auto&& placed, std::vector<Entry>* wrapped) {
    std::uint64_t next = 0;
    nb.table.for_each_in_id_order([&](FeatureId id, const model::NbCounts& c) {
      const Entry e{slot_key(id), c};
      const std::uint64_t pos = std::max(e.key >> (64 - bits), next);
      if (pos >= capacity) {
        if (wrapped) wrapped->push_back(e);
        return;
      }
      placed(e, pos);
      next = pos + 1;
    });
  };
  std::vector<Entry> wrapped;
  const auto tail = nb.table.tail_run(capacity);
  if (tail) {
    // The table in memory has the file's capacity: only the entries after its last free slot can run past the end.
    std::uint64_t next = tail->first + 1;
    for (const auto& [id, counts] : tail->second) {
      const Entry e{slot_key(id), counts};
      const std::uint64_t pos = std::max(e.key >> (64 - bits), next);
      if (pos >= capacity) wrapped.push_back(e);
      else next = pos + 1;
    }
  }
  // The bound written is never below what learning allows, so that the same counts give the same bytes without a walk
  // to measure it: a table in memory of the file's capacity takes the same slots, and in key order within each run no
  // entry is further from home than in any other order, so its own bound holds for the file -- but for the entries
  // that wrap past the end. Those go after the first run's own entries, into the slots they leave, which can be far
  // further than in memory: they are measured from that run. Otherwise (another capacity, or a table whose bound is
  // past learning's: filled by a load or an import) the whole layout is measured, in the walk that finds the
  // wrapped entries when there is no tail to find them.
  std::uint64_t max_displacement = model::kMaxLearnDisplacement;
  auto home = [bits](std::uint64_t key) { return key >> (64 - bits); };
  // The wrapped entries take the free slots from the start, in order: those below `limit` not among `taken` (the
  // placed entries' slots there, increasing).
  auto measure_wrapped = [&](const std::vector<std::uint64_t>& taken, std::uint64_t limit) {
    std::uint64_t slot = 0;
    std::size_t t = 0, w = 0;
    for (; w < wrapped.size() && slot < limit; ++slot) {
      if (t < taken.size() && taken[t] == slot) {
        ++t;
        continue;
      }
      max_displacement = std::max(max_displacement, slot + capacity - home(wrapped[w++].key));
    }
    if (w < wrapped.size()) max_displacement = capacity - 1;  // more wrapped than free slots there: no bound
  };
  std::vector<std::uint64_t> taken;
  if (tail && nb.table.max_displacement() <= max_displacement) {
    // Only the first run's own entries come before them: placed as the walk below places every entry.
    std::uint64_t next = 0;
    if (!wrapped.empty())
      for (const FeatureId id : nb.table.head_run_ids()) {
        next = std::max(home(slot_key(id)), next);
        taken.push_back(next++);
      }
    measure_wrapped(taken, capacity);
  } else {
    const std::uint64_t start = std::min<std::uint64_t>(capacity, 65536);
    walk(
        [&](const Entry& e, std::uint64_t pos) {
          max_displacement = std::max(max_displacement, pos - home(e.key));
          if (pos < start) taken.push_back(pos);
        },
        tail ? nullptr : &wrapped);
    measure_wrapped(taken, start);
  }
  out.u32(bits);
  max_displacement = std::min(max_displacement, capacity - 1);  // a probe bound past the table's size means none
  out.u32(max_displacement < 0xffffffffu ? static_cast<std::uint32_t>(max_displacement + 1) : 0);
  out.u64(nb.table.size());
  std::uint64_t slot = 0;
  std::size_t w = 0;
  auto entry = [&](const Entry& e) {
    unsigned char b[kNbEntry];
    store_u64(b, e.key);
    store_u32(b + 8, e.counts.spam);
    store_u32(b + 12, e.counts.ham);
    out.bytes(b, kNbEntry);
  };
  auto free_until = [&](std::uint64_t end) {
    for (; slot < end && w < wrapped.size(); ++slot) entry(wrapped[w++]);
    if (slot < end) out.zeros((end - slot) * kNbEntry);
    slot = std::max(slot, end);
  };
  walk(
      [&](const Entry& e, std::uint64_t pos) {
        free_until(pos);
        entry(e);
        slot = pos + 1;
      },
      nullptr);
  free_until(capacity);
}

std::uint64_t lr_section_size(const model::Logistic& lr) { return 8 + 4 * std::uint64_t(lr.weights().size()); }

void write_lr_section(const model::Logistic& lr, AreaSink& out) {
  out.u32(lr.params().bits);
  out.u32(f32_bits(lr.bias));
  // Converted a few thousand at a time: one call into the sink per chunk, not per weight.
  const auto w = lr.weights();
  unsigned char chunk[4 * 4096];
  for (std::size_t i = 0; i < w.size(); i += 4096) {
    const std::size_t n = std::min<std::size_t>(4096, w.size() - i);
    for (std::size_t j = 0; j < n; ++j) store_u32(chunk + 4 * j, f32_bits(w[i + j]));
    out.bytes(chunk, 4 * n);
  }
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

// Where everything goes. A section is its bytes, or (the two large ones) its size and a function that streams it.
struct Part {
  Section kind;
  std::string bytes;
  std::uint64_t size = 0;
  std::function<void(AreaSink&)> write;
};
struct Plan {
  std::vector<Part> sections;
  std::vector<std::uint64_t> offsets;  // in the data area, 64-aligned
  std::uint64_t area_size = 0, blocks = 0, data_offset = 0;
};

Plan plan_file(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names) {
  Plan p;
  auto small = [&](Section kind, std::string bytes) {
    const std::size_t n = bytes.size();
    p.sections.push_back({kind, std::move(bytes), n, {}});
  };
  small(Section::meta, meta_to_text(meta_from_model(m)));
  if (m.config().algorithm != model::Algorithm::logreg)
    p.sections.push_back({Section::nb, {}, nb_section_size(m.nb), [&m](AreaSink& s) { write_nb_section(m.nb, s); }});
  if (m.config().algorithm != model::Algorithm::nb)
    p.sections.push_back({Section::lr, {}, lr_section_size(m.lr), [&m](AreaSink& s) { write_lr_section(m.lr, s); }});
  small(Section::digests, digests_section(m));
  small(Section::names, names_section(names));

  // Sizes first: they fix the number of blocks, which fixes where the data area starts.
  for (const Part& part : p.sections) {
    p.area_size = (p.area_size + 63) / 64 * 64;
    p.offsets.push_back(p.area_size);
    p.area_size += part.size;
  }
  p.blocks = (p.area_size + kBlockSize - 1) / kBlockSize;
  p.data_offset = kHeaderSize + kSectionEntry * p.sections.size() + 8 * p.blocks;
  p.data_offset = (p.data_offset + kDataAlign - 1) / kDataAlign * kDataAlign;
  return p;
}

}  // namespace

std::uint64_t model_file_size(const model::Model& m, const std::unordered_map<FeatureId, std::string>& names) {
  const Plan p = plan_file(m, names);
  return p.data_offset + p.area_size;
}

void write_model_file(int fd, const std::string& path, const model::Model& m,
                      const std::unordered_map<FeatureId, std::string>& names) {
  Plan plan = plan_file(m, names);
  std::vector<Part>& sections = plan.sections;
  const std::vector<std::uint64_t>& offsets = plan.offsets;
  const std::uint64_t area_size = plan.area_size, blocks = plan.blocks, data_offset = plan.data_offset;

  AreaSink area(fd, static_cast<off_t>(data_offset), blocks, path);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    area.zeros(offsets[i] - area.size());
    if (sections[i].write) sections[i].write(area);
    else area.bytes(sections[i].bytes.data(), sections[i].bytes.size());
    std::string().swap(sections[i].bytes);
    // A producer that wrote other than it announced would shift every later section: a bug, never a file.
    if (area.size() != offsets[i] + sections[i].size)
      throw Error(ErrorKind::model, path, "internal error: a model section has the wrong size");
  }
  std::string& block_sums = area.finish();
  if (block_sums.size() != 8 * blocks)
    throw Error(ErrorKind::model, path, "internal error: model block count is wrong");

  ByteWriter table;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    table.u32(static_cast<std::uint32_t>(sections[i].kind));
    table.u32(0);
    table.u64(data_offset + offsets[i]);
    table.u64(sections[i].size);
  }
  const std::uint64_t block_table_sum = hash64(block_sums, kChecksumSeed);

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
  const std::string front = header.buffer() + table.buffer();
  write_at(fd, front.data(), front.size(), 0, path);
  block_sums.resize(data_offset - front.size(), '\0');  // and the padding up to the data area
  write_at(fd, block_sums.data(), block_sums.size(), static_cast<off_t>(front.size()), path);
}

}  // namespace spamcore::store::detail
