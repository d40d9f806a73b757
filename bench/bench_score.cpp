// Scoring cost on the SpamAssassin standard split: `bench_score CORPUS_DIR [benchmark flags]`, one thread.
// Trains a model on spam-1 + easy-ham-1 into a temporary file, then over the messages of spam-2 + easy-ham-2:
//   BM_OpenModel        ModelView::open of that file (map + verify header, section table, block table, META)
//   BM_ScoreMapped      scoring an already tokenized message from the mapped model (lookups + lazy block checks)
//   BM_TokenizeScore    parse + tokenize + score of a raw message (what `score` does after start-up)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "spamcore/corpus/open.hpp"
#include "spamcore/engine/train.hpp"
#include "spamcore/store/model_file.hpp"
#include "spamcore/tokenize/tokenizer.hpp"

namespace {

std::string g_model;
std::vector<std::string> g_messages;
std::vector<spamcore::FeatureBag> g_bags;

void BM_OpenModel(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(spamcore::store::ModelView::open(g_model));
}

void BM_ScoreMapped(benchmark::State& state) {
  const auto view = spamcore::store::ModelView::open(g_model);
  for (auto _ : state)
    for (const auto& bag : g_bags) benchmark::DoNotOptimize(view->score(bag));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_bags.size()));
}

void BM_TokenizeScore(benchmark::State& state) {
  const auto view = spamcore::store::ModelView::open(g_model);
  for (auto _ : state)
    for (const auto& m : g_messages)
      benchmark::DoNotOptimize(
          view->score(spamcore::tokenize::features(m, view->config().tokenizer,
                                                   spamcore::tokenize::kForScoring)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_messages.size()));
}

}  // namespace

BENCHMARK(BM_OpenModel)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ScoreMapped)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TokenizeScore)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_score CORPUS_DIR [benchmark flags]\n");
    return 3;
  }
  const std::string corpus = argv[1];
  g_model = (std::filesystem::temp_directory_path() / ("bench-score-" + std::to_string(getpid()) + ".scm")).string();
  spamcore::engine::TrainOptions o;
  o.model_path = g_model;
  o.spam_paths = {corpus + "/spam-1"};
  o.ham_paths = {corpus + "/easy-ham-1"};
  spamcore::engine::train(o);
  const auto settings = spamcore::store::ModelView::open(g_model)->config().tokenizer;
  for (const char* folder : {"/spam-2", "/easy-ham-2"}) {
    auto source = spamcore::corpus::open(corpus + folder);
    while (auto m = source->next()) {
      g_bags.push_back(spamcore::tokenize::features(m->bytes, settings, spamcore::tokenize::kForScoring));
      g_messages.push_back(std::move(m->bytes));
    }
  }
  std::printf("%zu test messages, model %ju bytes\n", g_bags.size(),
              static_cast<std::uintmax_t>(std::filesystem::file_size(g_model)));
  benchmark::RunSpecifiedBenchmarks();
  std::filesystem::remove(g_model);
  std::filesystem::remove(g_model + ".lock");
  return 0;
}
