#pragma once
// Syntax trees of application code, from tree-sitter (docs/adr/0019): the
// grammars of Python, TypeScript and TSX, a tree that owns what the parser
// built, and a node handle that knows its source text. The typed models of
// src/code/model.hpp are built on these; checks that must follow the
// structure (a loop's body, a call's receiver) walk the nodes themselves.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include <tree_sitter/api.h>

#include "core/error.hpp"
#include "core/types.hpp"

namespace constable::code {

enum class Language : std::uint8_t { python, typescript, tsx };
std::string_view to_string(Language language);

// The grammar that reads a file, from its extension: .py/.pyi -> python,
// .ts/.mts/.cts -> typescript, .tsx/.js/.jsx/.mjs/.cjs -> tsx (TSX is a
// superset of the JavaScript constable reads; .ts keeps TypeScript's
// `<T>value` casts, which JSX would misread). nullopt for anything else.
std::optional<Language> language_of(std::string_view path);

// Whether every grammar's ABI is one the linked tree-sitter runtime reads;
// the error names the grammar and both versions.
Result<void> check_grammar_abi();

class Node;

// One parse of one text. The text must outlive the tree.
class SyntaxTree {
 public:
  static Result<SyntaxTree> parse(Language language, std::string_view text);

  Node root() const;
  Language language() const { return language_; }
  std::string_view text() const { return text_; }

 private:
  struct TreeDeleter {
    void operator()(TSTree* tree) const { ts_tree_delete(tree); }
  };
  SyntaxTree(Language language, std::string_view text, TSTree* tree)
      : language_(language), text_(text), tree_(tree, TreeDeleter{}) {}

  Language language_;
  std::string_view text_;
  std::shared_ptr<TSTree> tree_;
};

// A node of a SyntaxTree; valid while the tree is. A null node (absent
// field, no parent) answers false to `explicit operator bool` and empty to
// everything else.
class Node {
 public:
  Node() = default;
  Node(TSNode node, std::string_view source) : node_(node), source_(source) {}

  explicit operator bool() const { return !ts_node_is_null(node_); }
  std::string_view type() const { return *this ? ts_node_type(node_) : std::string_view{}; }
  bool is(std::string_view type_name) const { return type() == type_name; }
  bool is_named() const { return *this && ts_node_is_named(node_); }
  // An ERROR node (tokens the grammar could not place) or a MISSING one (a
  // token it had to assume).
  bool is_error() const { return *this && (type() == "ERROR" || ts_node_is_missing(node_)); }
  bool has_error() const { return *this && ts_node_has_error(node_); }
  std::string_view text() const;
  std::uint32_t start_byte() const { return *this ? ts_node_start_byte(node_) : 0; }
  std::uint32_t end_byte() const { return *this ? ts_node_end_byte(node_) : 0; }
  // 1-based lines, 1-based byte columns, end exclusive.
  SourceRange range() const;
  int line() const { return *this ? static_cast<int>(ts_node_start_point(node_).row) + 1 : 0; }

  Node field(std::string_view name) const;
  Node parent() const;
  std::uint32_t child_count() const { return *this ? ts_node_child_count(node_) : 0; }
  std::uint32_t named_child_count() const { return *this ? ts_node_named_child_count(node_) : 0; }
  Node child(std::uint32_t index) const;
  Node named_child(std::uint32_t index) const;
  // The field name of the child at `index`, "" when it has none.
  std::string_view field_name_of_child(std::uint32_t index) const;
  Node next_named_sibling() const;
  bool operator==(const Node& other) const { return ts_node_eq(node_, other.node_); }

  // Calls `visit(node)` for this node and every descendant in document
  // order; `visit` returns false to skip a node's children. Iterative, so a
  // deeply nested file cannot exhaust the stack.
  template <class Visit>
  void walk(Visit&& visit) const {
    if (!*this) return;
    TSTreeCursor cursor = ts_tree_cursor_new(node_);
    for (;;) {
      const Node current(ts_tree_cursor_current_node(&cursor), source_);
      if (visit(current) && ts_tree_cursor_goto_first_child(&cursor)) continue;
      bool moved = false;
      while (!moved) {
        if (ts_node_eq(ts_tree_cursor_current_node(&cursor), node_)) {
          ts_tree_cursor_delete(&cursor);
          return;
        }
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          moved = true;
        } else if (!ts_tree_cursor_goto_parent(&cursor)) {
          ts_tree_cursor_delete(&cursor);
          return;
        }
      }
    }
  }

 private:
  TSNode node_{};
  std::string_view source_;
};

}  // namespace constable::code
