#include "spamcore/corpus/source.hpp"

namespace spamcore::corpus {

std::string RawMessage::origin() const { return index < 0 ? path : path + ":" + std::to_string(index); }

}  // namespace spamcore::corpus
