// constable_synthetic_repo DIR [FILES]: writes the benchmark's synthetic
// repository, e.g. to time the CLI with hyperfine.

#include <cstdlib>
#include <iostream>

#include "synthetic_repo.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: constable_synthetic_repo DIR [FILES=10000]\n";
    return 2;
  }
  const std::size_t files = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 10000;
  const auto stats = constable::bench::write_synthetic_repo(argv[1], files);
  std::cout << stats.files << " files (" << stats.dockerfiles << " Dockerfiles, " << stats.bytes << " bytes) in "
            << argv[1] << "\n";
  return 0;
}
