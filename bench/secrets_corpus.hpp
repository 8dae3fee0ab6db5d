#pragma once
// The secret-scan benchmark's corpus: deterministic synthetic source code,
// configuration, lock-file hashes, prose, minified code and a sprinkling of
// real-format fake secrets, in file-sized texts of 4 KiB to 256 KiB.

#include <cstddef>
#include <string>
#include <vector>

namespace constable::bench {

// CONSTABLE_SECRETS_CORPUS_MIB, 64 by default.
std::size_t corpus_mib();
// About `mib` MiB of text; same arguments, same bytes.
std::vector<std::string> make_secrets_corpus(std::size_t mib);

}  // namespace constable::bench
