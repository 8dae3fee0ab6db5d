#include "synthetic_repo.hpp"

#include <array>
#include <fstream>
#include <random>
#include <string>

#include <fmt/format.h>

namespace constable::bench {

namespace {

constexpr std::string_view kConstitution = R"(# Synthetic Constitution

## Cloud-Native Deployment

### Docker Standards
#### Dockerfile Requirements
- Multi-stage builds MUST be used for optimization
- Base images MUST be from official repositories or approved internal registry
- Image size MUST be minimized (Alpine Linux preferred for production)
- Non-root user MUST be specified
- Health checks MUST be implemented via HEALTHCHECK instruction
- Build arguments MUST NOT contain secrets

#### Image Tagging
- latest tag is PROHIBITED in production

### Secrets Management
- Secrets MUST NEVER be committed to version control

**Version**: 1.0.0 | **Ratified**: 2026-01-01 | **Last Amended**: 2026-01-01
)";

constexpr std::array<std::string_view, 4> kDockerfiles = {
    // Compliant.
    "# syntax=docker/dockerfile:1\nARG BASE=python:3.12-slim\nFROM ${BASE} AS build\nWORKDIR /src\n"
    "COPY pyproject.toml ./\nRUN --mount=type=cache,target=/root/.cache \\\n    pip install --prefix=/install .\n\n"
    "FROM ${BASE}\nCOPY --from=build /install /usr/local\nUSER 10001\nEXPOSE 8080\n"
    "HEALTHCHECK --interval=30s CMD [\"python\", \"-m\", \"app.health\"]\nENTRYPOINT [\"python\", \"-m\", \"app\"]\n",
    // Single stage, latest, root.
    "FROM node:latest\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"server.js\"]\n",
    // Secrets in build args and env, unofficial base.
    "ARG NPM_TOKEN=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\nFROM acme/builder:2.1 AS build\nRUN make\n"
    "FROM alpine:3.20\nCOPY --from=build /out /app\nENV DATABASE_PASSWORD=Xk9#pL2!vQ7zR4mT\nUSER app\n"
    "HEALTHCHECK NONE\n",
    // Heredoc and switching back to root.
    "FROM golang:1.22-alpine AS build\nRUN <<EOF\nset -e\ngo build -o /out/app ./cmd/app\nEOF\n"
    "FROM gcr.io/distroless/static:nonroot\nCOPY --from=build /out/app /app\nUSER root\n"
    "HEALTHCHECK CMD [\"/app\", \"health\"]\n",
};

std::string source_file(std::mt19937& rng, std::size_t lines) {
  std::string out;
  for (std::size_t i = 0; i < lines; ++i)
    out += fmt::format("def handler_{}(request):\n    return {{'status': {}, 'id': {}}}\n", i, 200 + rng() % 300, rng());
  return out;
}

}  // namespace

SyntheticStats write_synthetic_repo(const std::filesystem::path& root, std::size_t files) {
  SyntheticStats stats;
  std::mt19937 rng(20261122);  // fixed seed: same repository every time
  std::filesystem::create_directories(root);
  auto write = [&](const std::filesystem::path& relative, std::string_view content) {
    const auto path = root / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    ++stats.files;
    stats.bytes += content.size();
  };
  write("CONSTITUTION.md", kConstitution);
  write(".gitignore", "build/\n*.pyc\n");
  constexpr std::size_t kFilesPerService = 10;
  for (std::size_t service = 0; stats.files < files; ++service) {
    const auto dir = std::filesystem::path("services") / fmt::format("svc-{:05}", service);
    write(dir / "Dockerfile", kDockerfiles[service % kDockerfiles.size()]);
    ++stats.dockerfiles;
    for (std::size_t i = 1; i < kFilesPerService && stats.files < files; ++i) {
      switch (i % 4) {
        case 0: write(dir / fmt::format("README-{}.md", i), "# Service\n\nRun `make`.\n"); break;
        case 1: write(dir / "app" / fmt::format("handlers_{}.py", i), source_file(rng, 40)); break;
        case 2: write(dir / fmt::format("config-{}.yaml", i), fmt::format("replicas: {}\nport: 8080\n", rng() % 5)); break;
        default: write(dir / fmt::format("schema-{}.json", i), "{\"type\": \"object\"}\n"); break;
      }
    }
  }
  return stats;
}

}  // namespace constable::bench
