// engine::train in-process: what it reports while it runs.
#include <doctest/doctest.h>

#include "cli_util.hpp"
#include "spamcore/corpus/open.hpp"
#include "spamcore/engine/train.hpp"

using namespace spamcore;
using namespace spamcore::test;

TEST_CASE("train progress: messages and bytes grow to the report's, against the estimated total") {
  TempDir dir;
  engine::TrainOptions o;
  o.model_path = dir / "m.scm";
  o.spam_paths = {fixture_path("train/spam")};
  o.ham_paths = {fixture_path("train/ham")};
  std::vector<engine::TrainProgress> seen;
  const engine::TrainReport r = engine::train(o, [&](const engine::TrainProgress& p) { seen.push_back(p); });
  REQUIRE(!seen.empty());
  const std::uint64_t total = corpus::estimated_bytes({fixture_path("train/spam"), fixture_path("train/ham")});
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].total_bytes == total);
    if (i > 0) CHECK(seen[i].messages >= seen[i - 1].messages);
  }
  CHECK(seen.back().messages == r.read);
  CHECK(seen.back().bytes == r.bytes);
  CHECK(r.bytes <= total);  // the estimate counts envelope lines the readers drop
}
