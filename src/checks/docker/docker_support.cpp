#include "checks/docker/docker_support.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"

namespace constable::checks::docker {

namespace df = dockerfile;

std::vector<const df::Stage*> final_chain(const df::Dockerfile& file) {
  const df::Stage* last = file.final_stage();
  if (last == nullptr) return {};
  std::vector<const df::Stage*> chain = file.ancestry(*last);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::vector<const df::Instruction*> chain_instructions(const df::Dockerfile& file,
                                                       const std::vector<const df::Stage*>& chain) {
  std::vector<const df::Instruction*> out;
  for (const df::Stage* stage : chain) {
    for (const df::Instruction* instruction : file.stage_instructions(*stage)) out.push_back(instruction);
  }
  return out;
}

const df::Stage* root_stage(const df::Dockerfile& file, const df::Stage& stage) {
  const std::vector<const df::Stage*> ancestry = file.ancestry(stage);
  return ancestry.empty() ? &stage : ancestry.back();
}

bool is_scratch(std::string_view image) { return text::iequals(text::trim(image), "scratch"); }

StageLookup::StageLookup(const df::Dockerfile& file) : file_(file) {
  for (const df::Stage& stage : file.stages)
    if (!stage.name.empty()) by_name_[text::to_lower(stage.name)].push_back(&stage);
}

const df::Stage* StageLookup::find(std::string_view reference, const df::Stage* current) const {
  const std::string_view ref = text::trim(reference);
  if (ref.empty()) return nullptr;
  int index = -1;
  const auto [ptr, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), index);
  if (ec == std::errc{} && ptr == ref.data() + ref.size()) {
    // The parser numbers stages by their position.
    if (index < 0 || static_cast<std::size_t>(index) >= file_.stages.size()) return nullptr;
    const df::Stage& stage = file_.stages[static_cast<std::size_t>(index)];
    return &stage == current ? nullptr : &stage;
  }
  const auto named = by_name_.find(text::to_lower(ref));
  if (named == by_name_.end()) return nullptr;
  for (const df::Stage* stage : named->second)
    if (stage != current) return stage;
  return nullptr;
}

const df::Stage* stage_of(const df::Dockerfile& file, std::size_t instruction_index) {
  for (const df::Stage& stage : file.stages) {
    if (stage.from <= instruction_index && instruction_index <= stage.last) return &stage;
  }
  return nullptr;
}

std::optional<std::string> mount_option(std::string_view mount, std::string_view key) {
  for (std::string_view part : text::split(mount, ',')) {
    const std::size_t eq = part.find('=');
    const std::string_view name = text::trim(part.substr(0, eq));
    if (!text::iequals(name, key)) continue;
    if (eq == std::string_view::npos) return std::string{};
    return std::string(text::trim(part.substr(eq + 1)));
  }
  return std::nullopt;
}

SourceRange token_range(const df::Dockerfile& file, int line, int column_hint, std::string_view token,
                        int search_from) {
  if (line < 1 || static_cast<std::size_t>(line) > file.lines.size()) return SourceRange::at_line(line);
  const std::string_view text = file.lines[static_cast<std::size_t>(line - 1)];
  const int length = static_cast<int>(token.size());
  if (token.empty()) return SourceRange::at_line(line);
  if (column_hint >= 1 && static_cast<std::size_t>(column_hint - 1) + token.size() <= text.size() &&
      text.substr(static_cast<std::size_t>(column_hint - 1), token.size()) == token) {
    return {line, column_hint, line, column_hint + length};
  }
  const std::size_t from = search_from >= 1 ? static_cast<std::size_t>(search_from - 1) : 0;
  if (from <= text.size()) {
    const std::size_t at = text.find(token, from);
    if (at != std::string_view::npos) {
      const int column = static_cast<int>(at) + 1;
      return {line, column, line, column + length};
    }
  }
  return SourceRange::at_line(line);
}

SourceRange from_image_range(const df::Dockerfile& file, const df::Stage& stage) {
  if (stage.from >= file.instructions.size()) return SourceRange::whole_file();
  const df::Instruction& from = file.instructions[stage.from];
  std::string_view image = stage.image;
  if (image.empty()) {
    const std::string_view args = text::trim(from.arguments);
    image = args.substr(0, args.find_first_of(" \t"));
  }
  if (image.empty()) return SourceRange::at_line(from.line);
  return token_range(file, from.line, from.args_column, image, from.column);
}

std::vector<ImageSource> external_images(const df::Dockerfile& file) {
  std::vector<ImageSource> out;
  VariableScope scope(file);  // one scope, hence one expansion budget, for the whole file
  const StageLookup stages(file);
  for (const df::Stage& stage : file.stages) {
    if (stage.from < file.instructions.size()) {
      ImageSource source;
      source.written = stage.image;
      source.resolved = stage.resolved_image;
      source.unresolved = stage.unresolved;
      source.range = from_image_range(file, stage);
      source.stage = &stage;
      const bool stage_ref =
          stage.parent_stage.has_value() ||
          (!stage.unresolved && stages.find(stage.resolved_image, &stage) != nullptr &&
           stages.find(stage.resolved_image, &stage)->index < stage.index);
      if (!stage_ref && !(!stage.unresolved && is_scratch(stage.resolved_image))) {
        if (!source.unresolved) source.ref = formats::parse_image_ref(source.resolved);
        out.push_back(std::move(source));
      }
    }
    scope.enter_stage(false);
    for (std::size_t i = stage.from + 1; i <= stage.last && i < file.instructions.size(); ++i) {
      const df::Instruction& instruction = file.instructions[i];
      scope.apply(instruction);
      if (instruction.keyword != "COPY") continue;
      for (const df::Flag& flag : instruction.flags) {
        if (flag.name != "from" || flag.value.empty()) continue;
        ImageSource source;
        source.written = flag.value;
        source.resolved = scope.expand(flag.value, &source.unresolved);
        if (!source.unresolved && stages.find(source.resolved, &stage) != nullptr) continue;
        if (!source.unresolved && !source.resolved.empty() &&
            std::all_of(source.resolved.begin(), source.resolved.end(),
                        [](char c) { return c >= '0' && c <= '9'; })) {
          continue;  // a stage index
        }
        source.range = token_range(file, flag.line, flag.column + 7, flag.value, flag.column);
        source.copy_from = true;
        source.stage = &stage;
        if (!source.unresolved) source.ref = formats::parse_image_ref(source.resolved);
        out.push_back(std::move(source));
      }
    }
  }
  return out;
}

SourceRange value_range(const df::Dockerfile& file, const df::KeyValue& kv) {
  if (kv.line < 1 || static_cast<std::size_t>(kv.line) > file.lines.size() || kv.value_column < 1) {
    return SourceRange::at_line(kv.line);
  }
  const std::string_view line = file.lines[static_cast<std::size_t>(kv.line - 1)];
  const std::size_t start = static_cast<std::size_t>(kv.value_column - 1);
  if (start >= line.size()) return SourceRange::at_line(kv.line);
  std::size_t end = start;
  const char first = line[start];
  if (first == '"' || first == '\'') {
    end = line.find(first, start + 1);
    end = end == std::string_view::npos ? line.size() : end + 1;
  } else {
    end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
  }
  return {kv.line, kv.value_column, kv.line, static_cast<int>(end) + 1};
}

SourceRange arguments_range(const df::Dockerfile& file, const df::Instruction& instruction) {
  const std::string_view args = text::trim(instruction.arguments);
  if (args.empty()) return keyword_range(instruction);
  const SourceRange whole = token_range(file, instruction.line, instruction.args_column, args, instruction.column);
  if (whole.column != 0) return whole;
  // Continued over lines: the first word.
  return token_range(file, instruction.line, instruction.args_column, args.substr(0, args.find_first_of(" \t")),
                     instruction.column);
}

SourceRange keyword_range(const df::Instruction& instruction) {
  return {instruction.line, instruction.column, instruction.line,
          instruction.column + static_cast<int>(instruction.keyword.size())};
}

std::string display_image(const ImageSource& source) {
  return source.unresolved || source.resolved.empty() ? source.written : source.resolved;
}

}  // namespace constable::checks::docker
