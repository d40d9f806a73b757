// Parse throughput on a corpus: `bench_parse CORPUS_PATH [benchmark flags]`, one thread.
//   BM_Parse      parse + decode (charsets, HTML) of messages already in memory
//   BM_ReadParse  the same plus reading them through the corpus readers (files in the page cache)
//   BM_Features   parse + decode + tokenize into a feature bag (what training does per message before learning)
//   BM_Learn      parse + decode + tokenize + learn into a fresh default (combo) model, spam and ham as the
//                 folder names say: issue 3's "training (parse + tokenize + learn)", without reading files or saving
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "spamcore/base/digest.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/mail/parse.hpp"
#include "spamcore/model/model.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace {

std::string g_path;
std::vector<std::string> g_messages;
std::vector<bool> g_spam;  ///< the message's folder is named spam*
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

void BM_Learn(benchmark::State& state) {
  const spamcore::model::ModelConfig config;
  for (auto _ : state) {
    spamcore::model::Model m(config);
    for (std::size_t i = 0; i < g_messages.size(); ++i)
      m.learn_message(spamcore::sha256(g_messages[i]), spamcore::tokenize::features(g_messages[i], config.tokenizer),
                      g_spam[i]);
    benchmark::DoNotOptimize(m.nb.table.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_messages.size()));
}

}  // namespace

BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadParse)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Features)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Learn)->Unit(benchmark::kMillisecond)->UseRealTime();

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
    g_spam.push_back(std::filesystem::path(raw->path).parent_path().filename().string().rfind("spam", 0) == 0);
    g_messages.push_back(std::move(raw->bytes));
  }
  std::fprintf(stderr, "corpus: %zu messages (%zu in spam* folders), %.1f MB\n", g_messages.size(),
               static_cast<std::size_t>(std::count(g_spam.begin(), g_spam.end(), true)), g_bytes / 1e6);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
