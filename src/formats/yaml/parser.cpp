// libyaml events → a node tree with byte-column marks, built iteratively so
// that no input can exhaust the stack.

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::yaml {

namespace {

constexpr std::string_view kMergeTag = "tag:yaml.org,2002:merge";
constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool parse_integer(std::string_view text, long long& out) {
  std::string digits;
  bool negative = false;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  for (; i < text.size(); ++i)
    if (text[i] != '_') digits += text[i];
  if (digits.empty()) return false;
  int base = 10;
  std::string_view body = digits;
  if (body.starts_with("0x")) {
    base = 16;
    body.remove_prefix(2);
  } else if (body.starts_with("0o")) {
    base = 8;
    body.remove_prefix(2);
  } else if (body.starts_with("0b")) {
    base = 2;
    body.remove_prefix(2);
  } else if (body.size() > 1 && body[0] == '0') {
    base = 8;
    body.remove_prefix(1);
  }
  if (body.empty()) return false;
  unsigned long long magnitude = 0;
  const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), magnitude, base);
  if (ec != std::errc{} || ptr != body.data() + body.size()) return false;
  if (magnitude > static_cast<unsigned long long>(INT64_MAX) + (negative ? 1 : 0)) return false;
  out = negative ? static_cast<long long>(0ULL - magnitude) : static_cast<long long>(magnitude);
  return true;
}

bool parse_float(std::string_view text, double& out) {
  const std::string l = lower(text);
  std::string_view t = l;
  bool negative = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t == ".inf") {
    out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (l == ".nan") {
    out = std::nan("");
    return true;
  }
  // [digits][.digits][e[+-]digits], at least one digit, a dot or exponent.
  std::string plain;
  for (char c : t)
    if (c != '_') plain += c;
  if (plain.empty() || plain.find_first_not_of("0123456789.e+-") != std::string::npos) return false;
  if (plain.find_first_of("0123456789") == std::string::npos) return false;
  if (plain.find_first_of(".e") == std::string::npos) return false;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), value);
  if (ec != std::errc{} || ptr != plain.data() + plain.size()) return false;
  out = negative ? -value : value;
  return true;
}

std::optional<bool> parse_bool(std::string_view text) {
  static constexpr std::string_view kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                                "False", "FALSE", "off", "Off", "OFF"};
  for (auto t : kTrue)
    if (text == t) return true;
  for (auto f : kFalse)
    if (text == f) return false;
  return std::nullopt;
}

// Converts libyaml's character columns to byte columns. Marks come in the
// order of the text, so each conversion goes on from where the last one on
// the same line stopped: counting from the line's start every time was
// quadratic in a line's length, hours for a megabyte of minified JSON.
class Columns {
 public:
  explicit Columns(std::string_view text) : text_(text), plain_(is_plain(text)) {
    if (plain_) return;
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
  Mark mark(const yaml_mark_t& m) const {
    const int line = static_cast<int>(m.line) + 1;
    if (plain_ || m.line >= line_starts_.size()) return {line, static_cast<int>(m.column) + 1};
    if (m.line != cursor_line_ || m.column < cursor_chars_) {
      cursor_line_ = m.line;
      cursor_chars_ = 0;
      cursor_byte_ = line_starts_[m.line];
    }
    std::size_t byte = cursor_byte_;
    std::size_t chars = cursor_chars_;
    for (; chars < m.column && byte < text_.size() && text_[byte] != '\n'; ++chars) {
      const auto lead = static_cast<unsigned char>(text_[byte]);
      byte += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    }
    cursor_chars_ = chars;
    cursor_byte_ = byte;
    return {line, static_cast<int>(byte - line_starts_[m.line]) + 1};
  }

 private:
  // ASCII without a carriage return: libyaml's lines are the text's, and
  // its columns, which count characters, are byte columns already. Most
  // YAML is: no table of line starts, no walking along a line (bitnami's
  // CRDs, 17.5 MB, are).
  static bool is_plain(std::string_view text) {
    unsigned char bits = 0;
    bool carriage_return = false;
    for (const char c : text) {
      bits |= static_cast<unsigned char>(c);
      carriage_return |= c == '\r';
    }
    return (bits & 0x80) == 0 && !carriage_return;
  }

  std::string_view text_;
  bool plain_;
  std::vector<std::size_t> line_starts_;
  // Where the last conversion stopped: its line, character column and byte.
  mutable std::size_t cursor_line_ = 0;
  mutable std::size_t cursor_chars_ = 0;
  mutable std::size_t cursor_byte_ = 0;
};

struct Parser {
  yaml_parser_t parser{};
  Parser() { yaml_parser_initialize(&parser); }
  ~Parser() { yaml_parser_delete(&parser); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};

struct Event {
  yaml_event_t event{};
  bool live = false;
  ~Event() {
    if (live) yaml_event_delete(&event);
  }
};

std::string to_string(const yaml_char_t* s) {
  return s == nullptr ? std::string{} : std::string(reinterpret_cast<const char*>(s));
}

// Per node, while building: its expanded size and height, aliases included.
struct Measure {
  std::uint64_t size = 1;
  int height = 1;
};

}  // namespace

ScalarType resolve_plain(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return ScalarType::null;
  if (parse_bool(text)) return ScalarType::boolean;
  long long i = 0;
  if (parse_integer(text, i)) return ScalarType::integer;
  double d = 0;
  if (parse_float(text, d)) return ScalarType::floating;
  return ScalarType::string;
}

ScalarType Node::scalar_type() const {
  if (kind != NodeKind::scalar) return ScalarType::string;
  const std::string_view explicit_tag = tag();
  if (explicit_tag == kStrTag) return ScalarType::string;
  if (!explicit_tag.empty()) {
    if (explicit_tag.ends_with(":null")) return ScalarType::null;
    if (explicit_tag.ends_with(":bool")) return ScalarType::boolean;
    if (explicit_tag.ends_with(":int")) return ScalarType::integer;
    if (explicit_tag.ends_with(":float")) return ScalarType::floating;
    return ScalarType::string;
  }
  if (style != ScalarStyle::plain) return ScalarType::string;
  return resolve_plain(value);
}

const Entry* Node::find(std::string_view key) const {
  if (kind != NodeKind::mapping) return nullptr;
  for (const auto& e : entries)
    if (e.key->kind == NodeKind::scalar && e.key->value == key) return &e;
  return nullptr;
}

const Node* Node::get(std::string_view key) const {
  const Entry* e = find(key);
  return e != nullptr ? e->value : nullptr;
}

std::optional<bool> Node::as_bool() const {
  if (kind != NodeKind::scalar || scalar_type() != ScalarType::boolean) return std::nullopt;
  return parse_bool(value);
}

std::optional<long long> Node::as_int() const {
  if (kind != NodeKind::scalar || scalar_type() != ScalarType::integer) return std::nullopt;
  long long out = 0;
  if (!parse_integer(value, out)) return std::nullopt;
  return out;
}

std::optional<double> Node::as_double() const {
  if (kind != NodeKind::scalar) return std::nullopt;
  const auto type = scalar_type();
  if (type == ScalarType::integer) {
    if (auto i = as_int()) return static_cast<double>(*i);
    return std::nullopt;
  }
  double out = 0;
  if (type != ScalarType::floating || !parse_float(value, out)) return std::nullopt;
  return out;
}

std::optional<std::string_view> Node::as_string() const {
  if (kind != NodeKind::scalar) return std::nullopt;
  return std::string_view(value);
}

std::string_view Node::str() const {
  if (kind != NodeKind::scalar || is_null()) return {};
  return value;
}

NodeArena::~NodeArena() {
  std::allocator<std::byte> allocator;
  for (const Chunk& chunk : chunks_) allocator.deallocate(chunk.bytes, chunk.size);
}

void* NodeArena::allocate(std::size_t bytes, std::size_t alignment) {
  constexpr std::size_t kFirst = 1024;
  constexpr std::size_t kLargest = 64 * 1024;
  if (!chunks_.empty()) {
    const std::size_t at = (used_ + alignment - 1) & ~(alignment - 1);
    if (at + bytes <= chunks_.back().size) {
      used_ = at + bytes;
      return chunks_.back().bytes + at;
    }
  }
  // A new chunk (aligned as operator new aligns, for any node, entry or
  // pointer): one of its own for a value too large to share one, so that the
  // chunk in use, and the room left in it, stays the last.
  const std::size_t next = chunks_.empty() ? kFirst : std::min(chunks_.back().size * 2, kLargest);
  chunks_.reserve(chunks_.size() + 1);  // so that push_back cannot throw after the allocation
  if (bytes > next / 2 && !chunks_.empty()) {
    std::byte* own = std::allocator<std::byte>().allocate(bytes);
    chunks_.insert(chunks_.end() - 1, Chunk{own, bytes});
    return own;
  }
  const std::size_t size = std::max(next, bytes);
  chunks_.push_back({std::allocator<std::byte>().allocate(size), size});
  used_ = bytes;
  return chunks_.back().bytes;
}

Node& NodeArena::add_node() {
  static_assert(std::is_trivially_destructible_v<Node>, "the arena frees nodes without destroying them");
  return *std::construct_at(static_cast<Node*>(allocate(sizeof(Node), alignof(Node))));
}

std::string_view NodeArena::copy(std::string_view text) {
  if (text.empty()) return {};
  auto* at = static_cast<char*>(allocate(text.size(), 1));
  std::memcpy(at, text.data(), text.size());
  return {at, text.size()};
}

bool Stream::ok() const {
  return std::none_of(errors.begin(), errors.end(), [](const ParseError& e) { return e.fatal; });
}

Stream parse(std::string_view text, const Limits& limits) {
  Stream stream;
  const Columns columns(text);
  Parser p;
  yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);

  struct Open {
    Node* node;
    Measure measure;
    const Node* pending_key = nullptr;
  };
  std::vector<Open> open;
  // The children of the open collections, one list per depth: a finished
  // collection gets them in one allocation of the exact size. Kept by the
  // thread between parses (parse does not recurse), unless a list grew past
  // kKeptChildren: one huge collection is not held for the thread's life.
  constexpr std::size_t kKeptChildren = 4096;
  struct Children {
    std::vector<const Node*> items;
    std::vector<Entry> entries;
  };
  thread_local std::vector<Children> children;
  for (auto& list : children) {
    list.items.clear();
    list.entries.clear();
  }
  std::unordered_map<std::string, const Node*> anchors;
  std::unordered_map<const Node*, Measure> measures;  // of anchored nodes, for aliases
  Document document;
  std::uint64_t own_nodes = 0;
  std::uint64_t expanded = 0;
  bool in_document = false;

  auto fail = [&](std::string message, Mark mark) { stream.errors.push_back({std::move(message), mark, true}); };

  // Adds a completed node to its parent (or makes it the document root).
  // Returns false when a limit is exceeded.
  auto attach = [&](const Node* node, Measure measure, bool alias) -> bool {
    if (measure.height > limits.max_depth) {
      fail(fmt::format("nesting deeper than {} levels", limits.max_depth), node->start);
      return false;
    }
    if (open.empty()) {
      document.root = node;
      return true;
    }
    Open& parent = open.back();
    Children& siblings = children[open.size() - 1];
    parent.measure.size = std::min<std::uint64_t>(parent.measure.size + measure.size, UINT64_MAX / 2);
    parent.measure.height = std::max(parent.measure.height, measure.height + 1);
    if (parent.node->kind == NodeKind::sequence) {
      siblings.items.push_back(node);
    } else if (parent.pending_key == nullptr) {
      parent.pending_key = node;
    } else {
      siblings.entries.push_back({parent.pending_key, node});
      parent.pending_key = nullptr;
    }
    expanded = std::min<std::uint64_t>(expanded + (alias ? measure.size : 1), UINT64_MAX / 2);
    if (expanded > limits.max_expansion && expanded > 20 * own_nodes) {
      fail(fmt::format("aliases expand to more than {} nodes (an alias bomb?)", limits.max_expansion), node->start);
      return false;
    }
    return true;
  };

  auto new_node = [&](NodeKind kind, const yaml_event_t& e) {
    Node& n = stream.storage_->nodes.add_node();
    n.kind = kind;
    n.start = columns.mark(e.start_mark);
    n.end = columns.mark(e.end_mark);
    ++own_nodes;
    return &n;
  };

  auto set_properties = [&](Node* node, std::string tag, std::string anchor) {
    if (tag.empty() && anchor.empty()) return;
    node->properties = &stream.storage_->properties.emplace_front(Properties{std::move(tag), std::move(anchor)});
  };

  auto register_anchor = [&](const Node* node, Measure measure) {
    if (node->anchor().empty()) return;
    anchors[std::string(node->anchor())] = node;
    measures[node] = measure;
  };

  // `<<: *base` / `<<: [*a, *b]`: copy in the entries whose key is not set.
  auto is_merge_key = [](const Node& key) {
    return key.kind == NodeKind::scalar &&
           ((key.style == ScalarStyle::plain && key.value == "<<" && key.tag().empty()) || key.tag() == kMergeTag);
  };
  auto resolve_merges = [&](Node& mapping) {
    // Nearly every mapping has no merge key: it costs no allocation then.
    if (std::none_of(mapping.entries.begin(), mapping.entries.end(),
                     [&](const Entry& e) { return is_merge_key(*e.key); }))
      return;
    std::vector<Entry> own;
    std::vector<const Node*> sources;
    for (const auto& e : mapping.entries) {
      if (!is_merge_key(*e.key)) {
        own.push_back(e);
      } else if (e.value->is_mapping()) {
        sources.push_back(e.value);
      } else if (e.value->is_sequence()) {
        for (const Node* item : e.value->items)
          if (item->is_mapping()) sources.push_back(item);
      }
    }
    if (sources.empty()) return;
    std::vector<Entry> merged = std::move(own);
    const auto is_set = [&](std::string_view key) {
      return std::any_of(merged.begin(), merged.end(),
                         [&](const Entry& e) { return e.key->kind == NodeKind::scalar && e.key->value == key; });
    };
    for (const Node* source : sources)
      for (const auto& e : source->entries)
        if (e.key->kind != NodeKind::scalar || !is_set(e.key->value)) merged.push_back(e);
    mapping.entries = stream.storage_->nodes.copy(std::span<const Entry>(merged));
  };

  // One error per duplicated key of a mapping, saying how often it repeats,
  // and a bounded number per stream: a generated file repeating a key
  // 100,000 times is one problem, not 100,000 findings.
  constexpr std::size_t kMaxDuplicateKeyErrors = 20;
  std::size_t duplicate_key_errors = 0;
  std::size_t duplicate_keys_unreported = 0;
  std::optional<Mark> first_unreported_duplicate;
  // Whether a mapping repeats a key, without allocating for the common small
  // mapping that does not (a hash of its keys only for a large one).
  constexpr std::size_t kComparedPairwise = 32;
  auto may_repeat_a_key = [&](const Node& mapping) {
    const auto& entries = mapping.entries;
    if (entries.size() > kComparedPairwise) return true;
    for (std::size_t i = 1; i < entries.size(); ++i) {
      if (entries[i].key->kind != NodeKind::scalar) continue;
      for (std::size_t j = 0; j < i; ++j)
        if (entries[j].key->kind == NodeKind::scalar && entries[j].key->value == entries[i].key->value) return true;
    }
    return false;
  };
  auto check_duplicates = [&](const Node& mapping) {
    if (!may_repeat_a_key(mapping)) return;
    struct Seen {
      const Node* first = nullptr;
      const Node* second = nullptr;
      std::size_t repeats = 0;
    };
    std::unordered_map<std::string_view, Seen> seen;
    std::vector<std::string_view> duplicated;  // in the order of their first repeat
    for (const auto& e : mapping.entries) {
      if (e.key->kind != NodeKind::scalar) continue;
      auto [it, inserted] = seen.try_emplace(e.key->value, Seen{e.key});
      if (inserted) continue;
      if (it->second.repeats++ == 0) {
        it->second.second = e.key;
        duplicated.push_back(it->first);
      }
    }
    for (const std::string_view key : duplicated) {
      const Seen& s = seen.at(key);
      if (duplicate_key_errors == kMaxDuplicateKeyErrors) {
        ++duplicate_keys_unreported;
        if (!first_unreported_duplicate) first_unreported_duplicate = s.second->start;
        continue;
      }
      ++duplicate_key_errors;
      const std::string shown = text::sanitize_utf8(key.substr(0, 80)) + (key.size() > 80 ? "..." : "");
      std::string message = fmt::format("duplicate key '{}' (first at line {})", shown, s.first->start.line);
      if (s.repeats > 1) message += fmt::format("; repeated {} more times in this mapping", s.repeats - 1);
      stream.errors.push_back({std::move(message), s.second->start, false});
    }
  };

  while (true) {
    Event ev;
    if (yaml_parser_parse(&p.parser, &ev.event) == 0) {
      const yaml_mark_t& m = p.parser.problem_mark;
      std::string message = p.parser.problem != nullptr ? p.parser.problem : "invalid YAML";
      if (p.parser.context != nullptr) message = fmt::format("{} {}", p.parser.context, message);
      fail(text::sanitize_utf8(message), columns.mark(m));
      break;
    }
    ev.live = true;
    const yaml_event_t& e = ev.event;
    bool stop = false;
    switch (e.type) {
      case YAML_STREAM_START_EVENT:
      case YAML_NO_EVENT:
        break;
      case YAML_STREAM_END_EVENT:
        stop = true;
        break;
      case YAML_DOCUMENT_START_EVENT:
        document = Document{};
        document.start = columns.mark(e.start_mark);
        document.index = static_cast<int>(stream.documents.size());
        anchors.clear();
        measures.clear();
        own_nodes = 0;
        expanded = 0;
        in_document = true;
        break;
      case YAML_DOCUMENT_END_EVENT:
        document.end = columns.mark(e.end_mark);
        stream.documents.push_back(document);
        in_document = false;
        break;
      case YAML_SCALAR_EVENT: {
        Node* n = new_node(NodeKind::scalar, e);
        n->value = stream.storage_->nodes.copy(
            std::string_view(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length));
        switch (e.data.scalar.style) {
          case YAML_SINGLE_QUOTED_SCALAR_STYLE:
            n->style = ScalarStyle::single_quoted;
            break;
          case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
            n->style = ScalarStyle::double_quoted;
            break;
          case YAML_LITERAL_SCALAR_STYLE:
            n->style = ScalarStyle::literal;
            break;
          case YAML_FOLDED_SCALAR_STYLE:
            n->style = ScalarStyle::folded;
            break;
          default:
            n->style = ScalarStyle::plain;
            break;
        }
        // `!` (non-specific tag) on a plain scalar means "string".
        std::string tag = to_string(e.data.scalar.tag);
        if (tag == "!") tag = std::string(kStrTag);
        set_properties(n, std::move(tag), to_string(e.data.scalar.anchor));
        register_anchor(n, Measure{});
        stop = !attach(n, Measure{}, false);
        break;
      }
      case YAML_ALIAS_EVENT: {
        const std::string name = to_string(e.data.alias.anchor);
        const auto it = anchors.find(name);
        if (it == anchors.end()) {
          fail(fmt::format("unknown alias '*{}'", text::sanitize_utf8(name)), columns.mark(e.start_mark));
          stop = true;
          break;
        }
        stop = !attach(it->second, measures[it->second], true);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        const bool sequence = e.type == YAML_SEQUENCE_START_EVENT;
        Node* n = new_node(sequence ? NodeKind::sequence : NodeKind::mapping, e);
        set_properties(n, to_string(sequence ? e.data.sequence_start.tag : e.data.mapping_start.tag),
                       to_string(sequence ? e.data.sequence_start.anchor : e.data.mapping_start.anchor));
        n->flow = sequence ? e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                           : e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        if (static_cast<int>(open.size()) >= limits.max_depth) {
          fail(fmt::format("nesting deeper than {} levels", limits.max_depth), n->start);
          stop = true;
          break;
        }
        open.push_back({n, Measure{}, nullptr});
        if (children.size() < open.size()) children.resize(open.size());
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Open done = open.back();
        Children& own = children[open.size() - 1];
        open.pop_back();
        done.node->items = stream.storage_->nodes.copy(std::span<const Node* const>(own.items));
        done.node->entries = stream.storage_->nodes.copy(std::span<const Entry>(own.entries));
        own.items.clear();
        own.entries.clear();
        if (own.items.capacity() > kKeptChildren) own.items = {};
        if (own.entries.capacity() > kKeptChildren) own.entries = {};
        done.node->end = columns.mark(e.end_mark);
        if (done.node->is_mapping()) {
          check_duplicates(*done.node);
          resolve_merges(*done.node);
        }
        register_anchor(done.node, done.measure);
        stop = !attach(done.node, done.measure, false);
        break;
      }
    }
    if (stop) break;
  }
  (void)in_document;
  if (duplicate_keys_unreported > 0)
    stream.errors.push_back({fmt::format("{} more duplicated keys not reported", duplicate_keys_unreported),
                             *first_unreported_duplicate, false});
  return stream;
}

}  // namespace constable::yaml
