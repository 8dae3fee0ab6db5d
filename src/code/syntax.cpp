#include "code/syntax.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
}

namespace constable::code {

namespace {

const TSLanguage* grammar(Language language) {
  switch (language) {
    case Language::python: return tree_sitter_python();
    case Language::typescript: return tree_sitter_typescript();
    case Language::tsx: return tree_sitter_tsx();
  }
  return nullptr;
}

constexpr std::uint64_t kParseTimeoutMicros = 10'000'000;

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

}  // namespace

std::string_view to_string(Language language) {
  switch (language) {
    case Language::python: return "python";
    case Language::typescript: return "typescript";
    case Language::tsx: return "tsx";
  }
  return "?";
}

std::optional<Language> language_of(std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return std::nullopt;
  const std::string extension = text::to_lower(path.substr(dot + 1));
  if (extension == "py" || extension == "pyi") return Language::python;
  if (extension == "ts" || extension == "mts" || extension == "cts") return Language::typescript;
  if (extension == "tsx" || extension == "js" || extension == "jsx" || extension == "mjs" || extension == "cjs")
    return Language::tsx;
  return std::nullopt;
}

Result<void> check_grammar_abi() {
  for (const Language language : {Language::python, Language::typescript, Language::tsx}) {
    const std::uint32_t abi = ts_language_version(grammar(language));
    if (abi < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || abi > TREE_SITTER_LANGUAGE_VERSION)
      return fail(fmt::format("the {} grammar has ABI {}; the tree-sitter runtime reads ABI {} to {}",
                              to_string(language), abi, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
                              TREE_SITTER_LANGUAGE_VERSION));
  }
  return {};
}

Result<SyntaxTree> SyntaxTree::parse(Language language, std::string_view text) {
  // A parser per thread and language: creating one allocates its stacks,
  // and files of one language follow one another on a worker.
  thread_local std::array<std::unique_ptr<TSParser, ParserDeleter>, 3> parsers;
  auto& parser = parsers[static_cast<std::size_t>(language)];
  if (!parser) {
    parser.reset(ts_parser_new());
    // tree-sitter's error recovery is fast but not linear on every input:
    // a file that would take longer is reported instead of holding a worker.
    ts_parser_set_timeout_micros(parser.get(), kParseTimeoutMicros);
    if (!ts_parser_set_language(parser.get(), grammar(language))) {
      parser.reset();
      auto abi = check_grammar_abi();
      return fail(abi ? fmt::format("tree-sitter refused the {} grammar", to_string(language)) : abi.error().message);
    }
  }
  if (text.size() > UINT32_MAX) return fail("the file is too large to parse");
  TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, text.data(), static_cast<std::uint32_t>(text.size()));
  if (!tree) {
    ts_parser_reset(parser.get());
    return fail(fmt::format("parsing as {} took longer than {} s: not parsed", to_string(language),
                            kParseTimeoutMicros / 1'000'000));
  }
  return SyntaxTree(language, text, tree);
}

Node SyntaxTree::root() const { return Node(ts_tree_root_node(tree_.get()), text_); }

std::string_view Node::text() const {
  if (!*this) return {};
  const std::uint32_t start = std::min<std::uint32_t>(ts_node_start_byte(node_), static_cast<std::uint32_t>(source_.size()));
  const std::uint32_t end = std::min<std::uint32_t>(ts_node_end_byte(node_), static_cast<std::uint32_t>(source_.size()));
  return source_.substr(start, end > start ? end - start : 0);
}

SourceRange Node::range() const {
  if (!*this) return {};
  const TSPoint start = ts_node_start_point(node_);
  const TSPoint end = ts_node_end_point(node_);
  return {static_cast<int>(start.row) + 1, static_cast<int>(start.column) + 1, static_cast<int>(end.row) + 1,
          static_cast<int>(end.column) + 1};
}

namespace {

// tree-sitter looks a field's name up by comparing it with every field name
// of the grammar; the models ask for the same few fields millions of times.
TSFieldId field_id(const TSLanguage* language, std::string_view name) {
  struct Entry {
    const TSLanguage* language;
    std::string name;
    TSFieldId id;
  };
  constexpr std::size_t kMaxEntries = 256;  // names the code asks for; more are looked up uncached
  thread_local std::vector<Entry> cache;
  for (const Entry& entry : cache)
    if (entry.language == language && entry.name == name) return entry.id;
  const TSFieldId id = ts_language_field_id_for_name(language, name.data(), static_cast<std::uint32_t>(name.size()));
  if (cache.size() < kMaxEntries) cache.push_back({language, std::string(name), id});
  return id;
}

}  // namespace

Node Node::field(std::string_view name) const {
  if (!*this) return {};
  const TSFieldId id = field_id(ts_tree_language(node_.tree), name);
  return id == 0 ? Node() : Node(ts_node_child_by_field_id(node_, id), source_);
}

Node Node::parent() const { return *this ? Node(ts_node_parent(node_), source_) : Node(); }

Node Node::child(std::uint32_t index) const {
  return index < child_count() ? Node(ts_node_child(node_, index), source_) : Node();
}

Node Node::named_child(std::uint32_t index) const {
  return index < named_child_count() ? Node(ts_node_named_child(node_, index), source_) : Node();
}

std::string_view Node::field_name_of_child(std::uint32_t index) const {
  if (index >= child_count()) return {};
  // A cursor, not ts_node_field_name_for_child: the runtime's (0.20.7)
  // answers for the wrong child when a field repeats.
  TSTreeCursor cursor = ts_tree_cursor_new(node_);
  const char* name = nullptr;
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    std::uint32_t at = 0;
    while (at < index && ts_tree_cursor_goto_next_sibling(&cursor)) ++at;
    if (at == index) name = ts_tree_cursor_current_field_name(&cursor);
  }
  ts_tree_cursor_delete(&cursor);
  return name ? std::string_view(name) : std::string_view{};
}

Node Node::next_named_sibling() const { return *this ? Node(ts_node_next_named_sibling(node_), source_) : Node(); }

}  // namespace constable::code
