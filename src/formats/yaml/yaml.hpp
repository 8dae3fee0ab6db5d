#pragma once
// YAML (and JSON, which is parsed as YAML) with source positions, built on
// libyaml's event parser. Every node knows where it starts and ends; aliases
// point at their anchor's node (never copied); merge keys (`<<`) are
// resolved into the mapping that uses them.
//
// Bad input is bounded, not fatal: nesting deeper than Limits::max_depth or
// alias expansion beyond Limits::max_expansion (a "billion laughs" bomb)
// ends the stream with an error at the offending position, and the
// documents before it stay usable. Consumers may therefore recurse over a
// tree (aliases included) without guarding against depth or blow-up.

#include <cstdint>
#include <cstring>
#include <forward_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace constable::yaml {

// 1-based line; 1-based byte column on that line.
struct Mark {
  int line = 0;
  int column = 0;
  friend bool operator==(const Mark&, const Mark&) = default;
};

enum class NodeKind : std::uint8_t { scalar, sequence, mapping };
enum class ScalarStyle : std::uint8_t { plain, single_quoted, double_quoted, literal, folded };

// What a scalar means, resolved as go-yaml v2 does (Kubernetes and Helm use
// it): plain `~`, `null`, "" are null; true/false/yes/no/on/off (any common
// case) are booleans; decimal, 0x, 0o and leading-0 octal integers; floats
// incl. .inf/.nan. Quoted scalars and explicit !!str are strings.
enum class ScalarType : std::uint8_t { null, boolean, integer, floating, string };

struct Node;
struct Entry {
  const Node* key = nullptr;
  const Node* value = nullptr;
};

// A node's properties (YAML 1.2, 6.9): its explicit tag and its anchor. Few
// nodes have either, so a node points at them instead of holding two
// strings: a third less memory per node in a large parsed file.
struct Properties {
  std::string tag;  // resolved ("tag:yaml.org,2002:str")
  std::string anchor;
};

struct Node {
  NodeKind kind = NodeKind::scalar;
  ScalarStyle style = ScalarStyle::plain;  // scalars only
  bool flow = false;                       // collections written [..] / {..}
  const Properties* properties = nullptr;  // null: neither a tag nor an anchor
  std::string_view value;                  // scalars: the value after unescaping/folding
  Mark start;
  Mark end;
  std::span<const Node* const> items;  // sequence
  std::span<const Entry> entries;      // mapping, own entries first, then those merged in by `<<`

  // The explicit tag, resolved ("tag:yaml.org,2002:str"); "" if none.
  std::string_view tag() const { return properties != nullptr ? std::string_view(properties->tag) : std::string_view(); }
  std::string_view anchor() const {  // "" if none
    return properties != nullptr ? std::string_view(properties->anchor) : std::string_view();
  }
  bool is_scalar() const { return kind == NodeKind::scalar; }
  bool is_sequence() const { return kind == NodeKind::sequence; }
  bool is_mapping() const { return kind == NodeKind::mapping; }
  ScalarType scalar_type() const;
  bool is_null() const { return is_scalar() && scalar_type() == ScalarType::null; }

  // Mapping lookup by scalar key (first match); null when absent or not a mapping.
  const Node* get(std::string_view key) const;
  // The entry (key and value) for `key`, for locating the key itself.
  const Entry* find(std::string_view key) const;
  // Path lookup: get("spec", "template", "spec").
  template <class... Keys>
  const Node* at(std::string_view first, Keys... rest) const {
    const Node* n = get(first);
    if constexpr (sizeof...(rest) == 0) {
      return n;
    } else {
      return n != nullptr ? n->at(rest...) : nullptr;
    }
  }

  // Typed views of scalars; nullopt when the node is not a scalar of that type.
  std::optional<bool> as_bool() const;
  std::optional<long long> as_int() const;
  std::optional<double> as_double() const;
  // The scalar text (any type) or nullopt for collections.
  std::optional<std::string_view> as_string() const;
  // Non-null scalar text, else "" (convenience for optional string fields).
  std::string_view str() const;
};

struct Document {
  const Node* root = nullptr;  // null for an empty document
  Mark start;                  // of the document (its `---` if any)
  Mark end;
  int index = 0;  // 0-based position in the stream
};

struct ParseError {
  std::string message;
  Mark mark;
  bool fatal = true;  // false: the document was still built (e.g. a duplicate key)
};

struct Limits {
  int max_depth = 1000;                   // nesting, aliases expanded
  std::uint64_t max_expansion = 1000000;  // nodes reachable through aliases, per document, beyond 20x its own nodes
};

// What a stream's nodes hold: the nodes themselves, their scalar values and
// their lists of children, packed in chunks that never move (entries and
// documents point into them), each twice as large as the last up to a bound.
// A node is then 80 bytes with no allocation of its own, where a node of
// strings and vectors was 112 and allocated for every long scalar and every
// collection; the fresh pages its trees took were nearly a tenth of a chart
// repository's run (docs/benchmarks.md, "Smaller YAML nodes").
class NodeArena {
 public:
  NodeArena() = default;
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;
  ~NodeArena();

  Node& add_node();
  std::string_view copy(std::string_view text);
  template <class T>
  std::span<const T> copy(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    if (items.empty()) return {};
    void* at = allocate(items.size_bytes(), alignof(T));
    std::memcpy(at, items.data(), items.size_bytes());
    return {static_cast<const T*>(at), items.size()};
  }

 private:
  void* allocate(std::size_t bytes, std::size_t alignment);
  struct Chunk {
    std::byte* bytes;
    std::size_t size;
  };
  std::vector<Chunk> chunks_;
  std::size_t used_ = 0;  // of the last chunk
};

// Move-only: documents and entries point into the node storage, which lives
// on the heap so that moving a Stream (e.g. when a vector of them grows)
// never moves a node. A copy would leave the pointers aimed at the original.
class Stream {
 public:
  Stream() = default;
  Stream(Stream&&) noexcept = default;
  Stream& operator=(Stream&&) noexcept = default;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  std::vector<Document> documents;
  std::vector<ParseError> errors;
  bool ok() const;  // no fatal error

 private:
  friend Stream parse(std::string_view text, const Limits& limits);
  struct Storage {
    NodeArena nodes;
    std::forward_list<Properties> properties;  // allocates nothing when no node has any
  };
  std::unique_ptr<Storage> storage_ = std::make_unique<Storage>();
};

// Parses a whole stream of documents. Never throws; stops at the first
// syntax error (libyaml cannot resume), keeping the documents before it.
Stream parse(std::string_view text, const Limits& limits = {});

// Scalar resolution as go-yaml v2, for a plain scalar's text.
ScalarType resolve_plain(std::string_view text);

}  // namespace constable::yaml
