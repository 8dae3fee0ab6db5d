// constable_secrets_corpus_files DIR [MIB]: writes the secret-scan benchmark's
// corpus as files, to compare constable with other scanners on the same tree.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "secrets_corpus.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: constable_secrets_corpus_files DIR [MIB=64]\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const std::size_t mib = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 64;
  const auto files = constable::bench::make_secrets_corpus(mib);
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto path = dir / ("part-" + std::to_string(i / 100)) / ("file-" + std::to_string(i) + ".txt");
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << files[i];
    bytes += files[i].size();
  }
  std::cout << files.size() << " files, " << bytes << " bytes in " << dir.string() << "\n";
  return 0;
}
