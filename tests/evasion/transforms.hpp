#pragma once
// The evasions spammers use against word-based filters, as seeded transforms of a raw message (for the evasion test
// set: tests/evasion/evasion_test.cpp and scripts/bench-evasion.sh). Each applies to single-part, unencoded
// text/plain or text/html messages (applicable() says which); headers other than the content fields are kept.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spamcore::evasion {

/// comments, zero-width, spacing, lookalike, base64, poison, html-only
const std::vector<std::string>& transform_names();

/// Whether `message` is a single-part, unencoded text/plain or text/html message.
bool applicable(std::string_view message);

/// The message with evasion `name` applied, deterministic for a given seed.
std::string transform(std::string_view message, const std::string& name, std::uint64_t seed);

}  // namespace spamcore::evasion
