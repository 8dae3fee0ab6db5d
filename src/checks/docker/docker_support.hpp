#pragma once
// Helpers shared by the Dockerfile checks: the final stage's chain of parent
// stages, stage references, image sources and precise source ranges.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "formats/dockerfile/dockerfile.hpp"
#include "formats/image_ref.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::docker {

// The final stage and the stages it is built FROM, root first:
// {root, ..., final}. Empty when the Dockerfile has no stage.
std::vector<const dockerfile::Stage*> final_chain(const dockerfile::Dockerfile& file);

// Instructions of the chain, in build order (each stage's FROM included).
std::vector<const dockerfile::Instruction*> chain_instructions(
    const dockerfile::Dockerfile& file, const std::vector<const dockerfile::Stage*>& chain);

// The stage whose image is not another stage: the last of the ancestry.
const dockerfile::Stage* root_stage(const dockerfile::Dockerfile& file, const dockerfile::Stage& stage);

bool is_scratch(std::string_view image);

// Resolves `FROM x` and `--from=x` references to stages. Built once per file:
// a scan per reference is quadratic in a Dockerfile of thousands of stages.
class StageLookup {
 public:
  explicit StageLookup(const dockerfile::Dockerfile& file);
  // The stage `reference` names, by name (case-insensitive) or by index, or
  // nullptr when it names no stage of the file other than `current`.
  const dockerfile::Stage* find(std::string_view reference, const dockerfile::Stage* current) const;

 private:
  const dockerfile::Dockerfile& file_;
  std::map<std::string, std::vector<const dockerfile::Stage*>, std::less<>> by_name_;  // in file order
};

// The stage an instruction belongs to, or nullptr for global instructions.
const dockerfile::Stage* stage_of(const dockerfile::Dockerfile& file, std::size_t instruction_index);

// The value of `key` in a comma-separated `k=v` list (RUN --mount=...).
std::optional<std::string> mount_option(std::string_view mount, std::string_view key);

// The range of `token` on 1-based `line`: at `column_hint` when it is there,
// else its first occurrence at or after `search_from`, else the whole line.
SourceRange token_range(const dockerfile::Dockerfile& file, int line, int column_hint, std::string_view token,
                        int search_from = 1);

// The image token of a stage's FROM instruction.
SourceRange from_image_range(const dockerfile::Dockerfile& file, const dockerfile::Stage& stage);

// Variables visible at each point of a stage chain (bounded expansion).
using VariableScope = dockerfile::VariableScope;

// An image a build pulls from outside the Dockerfile: a FROM that is neither
// `scratch` nor an earlier stage, or a `COPY --from=` naming an image.
struct ImageSource {
  std::string written;   // as in the Dockerfile
  std::string resolved;  // variables expanded
  bool unresolved = false;
  std::optional<formats::ImageRef> ref;  // nullopt when unresolved or invalid
  SourceRange range;                      // the image token
  bool copy_from = false;
  const dockerfile::Stage* stage = nullptr;
};
std::vector<ImageSource> external_images(const dockerfile::Dockerfile& file);

// The production image's qualities (health check, small final stage) are
// not asked of a development Dockerfile.
using workspace::is_development_dockerfile;

// The range of an ARG/ENV value as written (quotes included) on the key's
// line; the key's line when it cannot be located.
SourceRange value_range(const dockerfile::Dockerfile& file, const dockerfile::KeyValue& kv);

// The range of an instruction's arguments as written on its first line.
SourceRange arguments_range(const dockerfile::Dockerfile& file, const dockerfile::Instruction& instruction);

// The range of an instruction's keyword.
SourceRange keyword_range(const dockerfile::Instruction& instruction);

// A Dockerfile that passes every docker check: the good example of each check.
inline constexpr std::string_view kGoodExample =
    "FROM golang:1.22-alpine AS build\n"
    "WORKDIR /src\n"
    "COPY . .\n"
    "RUN go build -o /out/app ./cmd/app\n"
    "\n"
    "FROM alpine:3.20\n"
    "COPY --from=build /out/app /usr/local/bin/app\n"
    "USER 10001:10001\n"
    "HEALTHCHECK --interval=30s CMD [\"/usr/local/bin/app\", \"health\"]\n"
    "ENTRYPOINT [\"/usr/local/bin/app\"]\n";

// The image's name and tag, for messages: "python:3.12", "alpine@sha256:…".
std::string display_image(const ImageSource& source);

}  // namespace constable::checks::docker
