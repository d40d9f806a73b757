// Parse throughput on a corpus: `bench_parse CORPUS_PATH [benchmark flags]`, one thread.
//   BM_Parse      parse + decode (charsets, HTML) of messages already in memory
//   BM_ReadParse  the same plus reading them through the corpus readers (files in the page cache)
//   BM_Features   parse + decode + tokenize into a feature bag (what training does per message before learning)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "spamcore/corpus/open.hpp"
#include "spamcore/mail/parse.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace {

std::string g_path;
std::vector<std::string> g_messages;
std::size_t g_bytes = 0;

void BM_Parse(benchmark::State& state) {
  std::size_t parts = 0;
  for (auto _ : state) {
    for (const std::string& m : g_messages) {
      const auto msg = spamcore::mail::parse(m);
      parts += msg.parts.size();
      benchmark::DoNotOptimize(msg);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_messages.size()));
  state.counters["parts"] = static_cast<double>(parts) / static_cast<double>(state.iterations());
}

void BM_ReadParse(benchmark::State& state) {
  for (auto _ : state) {
    auto source = spamcore::corpus::open(g_path);
    while (auto raw = source->next()) benchmark::DoNotOptimize(spamcore::mail::parse(raw->bytes));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_messages.size()));
}

void BM_Features(benchmark::State& state) {
  const spamcore::tokenize::TokenizerSettings settings;
  std::size_t features = 0;
  for (auto _ : state)
    for (const std::string& m : g_messages) features += spamcore::tokenize::features(m, settings).size();
  benchmark::DoNotOptimize(features);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_messages.size()));
}

}  // namespace

BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadParse)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Features)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_parse CORPUS_PATH [--benchmark_...]\n");
    return 3;
  }
  g_path = argv[1];
  auto source = spamcore::corpus::open(g_path);
  while (auto raw = source->next()) {
    g_bytes += raw->bytes.size();
    g_messages.push_back(std::move(raw->bytes));
  }
  std::fprintf(stderr, "corpus: %zu messages, %.1f MB\n", g_messages.size(), g_bytes / 1e6);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
