// Constitution Markdown -> Constitution, with cmark-gfm's node API.
//
// Clause ids (see also model.hpp): "<parent heading>/<heading>/<clause slug>"
// where each part is text::slugify'd, the clause slug keeps at most 8 words,
// and only the two innermost headings are used. The document title is left
// out when the document has exactly one H1. Clauses before any heading have
// just "<clause slug>". Structure blocks use "<headings>/structure". When two
// clauses get the same id, the later ones get "-2", "-3", ... in document
// order, so an id only changes when a clause with the same slug is inserted
// or removed before it.

#include <algorithm>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cmark-gfm.h>
#include <fmt/format.h>
#include <re2/re2.h>

#include "constitution/internal.hpp"
#include "constitution/model.hpp"
#include "core/digest.hpp"
#include "core/text.hpp"

namespace constable::constitution {

namespace {

constexpr int kMaxDepth = 64;  // nesting of lists and block quotes we descend into
constexpr std::size_t kMaxWarnings = 20;  // then one more says how many were left out

// ---------------------------------------------------------------- text helpers

// Whitespace runs become one space; none at either end.
std::string collapse(std::string_view s) {
  static constexpr std::string_view kSpace = " \t\n\r\f\v";
  std::string out;
  out.reserve(s.size());
  for (auto start = s.find_first_not_of(kSpace); start != std::string_view::npos;
       start = s.find_first_not_of(kSpace, start)) {
    const auto end = std::min(s.find_first_of(kSpace, start), s.size());
    if (!out.empty()) out += ' ';
    out.append(s.substr(start, end - start));
    start = end;
  }
  return out;
}

int count_newlines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// 1-based line of byte `offset`, counting \n, \r\n and lone \r as one break.
int line_of(std::string_view s, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') ++line;
    else if (s[i] == '\r' && !(i + 1 < s.size() && s[i + 1] == '\n')) ++line;
  }
  return line;
}

std::string normalize_newlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t start = 0;
  for (auto cr = s.find('\r'); cr != std::string_view::npos; cr = s.find('\r', start)) {
    out.append(s.substr(start, cr - start));
    out += '\n';
    start = cr + 1 < s.size() && s[cr + 1] == '\n' ? cr + 2 : cr + 1;
  }
  out.append(s.substr(start));
  return out;
}

// Plain text of an inline container (paragraph, heading): markup removed,
// '\n' at every line break so that line numbers can be recovered.
std::string inline_text(cmark_node* node) {
  std::string out;
  cmark_iter* it = cmark_iter_new(node);
  if (it == nullptr) return out;
  cmark_event_type event;
  while ((event = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (event != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it);
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE: {
        const char* literal = cmark_node_get_literal(n);
        if (literal != nullptr) out += literal;
        break;
      }
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK: out += '\n'; break;
      case CMARK_NODE_HTML_INLINE: {  // dropped, but its line breaks still count
        const char* literal = cmark_node_get_literal(n);
        out += ' ';
        if (literal != nullptr) out.append(static_cast<std::size_t>(count_newlines(literal)), '\n');
        break;
      }
      default: break;
    }
  }
  cmark_iter_free(it);
  return out;
}

// ---------------------------------------------------------------- keywords

std::optional<Modality> modality_of(std::string_view keyword) {
  if (keyword == "MUST") return Modality::must;
  if (keyword == "MUST NOT" || keyword == "MUST NEVER") return Modality::must_not;
  if (keyword == "SHALL") return Modality::shall;
  if (keyword == "SHALL NOT" || keyword == "SHALL NEVER") return Modality::shall_not;
  if (keyword == "REQUIRED") return Modality::required;
  if (keyword == "PROHIBITED" || keyword == "STRICTLY PROHIBITED") return Modality::prohibited;
  if (keyword == "SHOULD") return Modality::should;
  if (keyword == "SHOULD NOT" || keyword == "SHOULD NEVER") return Modality::should_not;
  if (keyword == "MAY") return Modality::may;
  return std::nullopt;
}

bool is_quote(std::string_view before_or_after, bool before) {
  static constexpr std::string_view kQuotes[] = {"\"", "'", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98",
                                                 "\xE2\x80\x99", "`"};
  for (std::string_view q : kQuotes) {
    if (before ? before_or_after.ends_with(q) : before_or_after.starts_with(q)) return true;
  }
  return false;
}

// The first upper-case RFC 2119 keyword of `text`. Quoted keywords
// ('"MUST", "SHOULD" ... are to be interpreted as ...') do not count.
std::optional<Modality> find_keyword(std::string_view text) {
  static const RE2 pattern(
      R"(\b(STRICTLY\s+PROHIBITED|PROHIBITED|MUST\s+NOT|MUST\s+NEVER|MUST|SHALL\s+NOT|SHALL\s+NEVER|SHALL|)"
      R"(REQUIRED|SHOULD\s+NOT|SHOULD\s+NEVER|SHOULD|MAY)\b)");
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  while (RE2::FindAndConsume(&input, pattern, &match)) {
    const auto begin = static_cast<std::size_t>(match.data() - text.data());
    const std::size_t end = begin + match.size();
    if (is_quote(text.substr(0, begin), true) && is_quote(text.substr(end), false)) continue;
    return modality_of(collapse(std::string_view(match.data(), match.size())));
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- sentences

struct Sentence {
  std::string text;  // raw, with '\n'
  int first_line = 0;  // offsets from the paragraph's first line
  int last_line = 0;
};

bool is_abbreviation(std::string_view word) {
  static constexpr std::string_view kAbbreviations[] = {"e.g", "i.e", "etc", "vs", "cf", "eg", "ie", "approx",
                                                        "incl", "min", "max", "no", "mr", "mrs", "dr", "fig"};
  const std::string lowered = text::to_lower(word);
  for (std::string_view a : kAbbreviations) {
    if (lowered == a) return true;
  }
  return false;
}

std::vector<Sentence> split_sentences(std::string_view raw) {
  std::vector<Sentence> out;
  auto emit = [&](std::size_t begin, std::size_t end) {
    std::string_view piece = raw.substr(begin, end - begin);
    const auto first = piece.find_first_not_of(" \t\n");
    if (first == std::string_view::npos) return;
    const auto last = piece.find_last_not_of(" \t\n");
    Sentence s;
    s.text = std::string(piece.substr(first, last - first + 1));
    s.first_line = count_newlines(raw.substr(0, begin + first));
    s.last_line = count_newlines(raw.substr(0, begin + last));
    out.push_back(std::move(s));
  };
  std::size_t start = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c != '.' && c != '!' && c != '?') continue;
    std::size_t j = i + 1;
    while (j < raw.size() && (raw[j] == ')' || raw[j] == '"' || raw[j] == '\'')) ++j;
    if (j < raw.size() && raw[j] != ' ' && raw[j] != '\n' && raw[j] != '\t') continue;
    std::size_t k = j;
    while (k < raw.size() && (raw[k] == ' ' || raw[k] == '\n' || raw[k] == '\t')) ++k;
    if (k < raw.size() && raw[k] >= 'a' && raw[k] <= 'z') continue;  // "... e.g. lower case"
    if (c == '.') {
      std::size_t w = i;
      while (w > start && raw[w - 1] != ' ' && raw[w - 1] != '\n' && raw[w - 1] != '(') --w;
      if (is_abbreviation(raw.substr(w, i - w))) continue;
    }
    emit(start, j);
    start = j;
  }
  emit(start, raw.size());
  return out;
}

// ---------------------------------------------------------------- the walk

struct LeadIn {
  Modality modality = Modality::must;
  std::string text;
  std::optional<std::size_t> clause{};  // its own clause, an index into Constitution::clauses
};

enum class PolicyList : unsigned char { none, natures, timelines };

struct Heading {
  int level = 0;
  std::string text;
  int line = 0;
  // Worked out once, when the heading is read.
  std::string slug;           // "section" when the text has none
  bool glossary = false;      // a glossary or definitions section: no clauses
  bool policy = false;        // about violations, remediation or severity
};


class Walker {
 public:
  Walker(std::string path, bool drop_title) : path_(std::move(path)), drop_title_(drop_title) {}

  void blocks(cmark_node* parent, int depth) {
    if (depth > kMaxDepth) return;
    std::string previous_paragraph;
    for (cmark_node* node = cmark_node_first_child(parent); node != nullptr && !error_;
         node = cmark_node_next(node)) {
      const cmark_node_type type = cmark_node_get_type(node);
      switch (type) {
        case CMARK_NODE_HEADING: heading(node); break;
        case CMARK_NODE_PARAGRAPH: {
          std::optional<LeadIn> lead = paragraph(node, previous_paragraph);
          cmark_node* next = cmark_node_next(node);
          if (next != nullptr && cmark_node_get_type(next) == CMARK_NODE_LIST) {
            list(next, lead ? &*lead : nullptr, previous_paragraph, depth + 1, false);
            node = next;
          }
          break;
        }
        case CMARK_NODE_LIST: list(node, nullptr, {}, depth + 1, false); break;
        case CMARK_NODE_CODE_BLOCK: code_block(node); break;
        case CMARK_NODE_HTML_BLOCK: html_block(node); break;
        case CMARK_NODE_BLOCK_QUOTE: blocks(node, depth + 1); break;
        default: break;
      }
      if (type != CMARK_NODE_PARAGRAPH) previous_paragraph.clear();
    }
  }

  Constitution finish() && {
    // Disambiguate identical ids in document order (clause i has base_ids_[i]).
    std::unordered_map<std::string, int> seen;
    seen.reserve(constitution_.clauses.size());
    for (std::size_t i = 0; i < constitution_.clauses.size(); ++i) {
      Clause& clause = constitution_.clauses[i];
      const std::string& base = base_ids_[i];
      const int n = ++seen[base];
      clause.id = n == 1 ? base : fmt::format("{}-{}", base, n);
      // A suffixed id might collide with a genuine base id ("x-2"): keep going.
      while (n > 1 && seen.contains(clause.id)) {
        clause.id += "-";
        clause.id += std::to_string(n);
      }
      if (n > 1) seen[clause.id] += 1;
    }
    if (warnings_left_out_ > 0)
      constitution_.warnings.push_back(
          {fmt::format("{} more warnings about version footers not shown", warnings_left_out_),
           constitution_.warnings.back().line});
    constitution_.path = path_;
    return std::move(constitution_);
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  // ---------------------------------------------------------- headings

  // What every clause under the current headings shares is worked out once
  // per heading, not once per clause: the work per clause stays constant
  // however many headings and clauses there are.
  void heading(cmark_node* node) {
    const int level = cmark_node_get_heading_level(node);
    const int line = cmark_node_get_start_line(node);
    while (!headings_.empty() && headings_.back().level >= level) headings_.pop_back();
    Heading& added = headings_.emplace_back(Heading{level, collapse(inline_text(node)), line});
    added.slug = text::slugify(added.text);
    if (added.slug.empty()) added.slug = "section";
    added.glossary = is_glossary(added.text);
    added.policy = is_policy(added.text);
    Section section;
    section.path = section_path();
    section.level = level;
    section.line = line;
    constitution_.sections.push_back(std::move(section));
    in_glossary_ = in_glossary();
    in_policy_ = in_policy();
    heading_prefix_ = heading_prefix();
  }

  std::vector<std::string> section_path() const {
    std::vector<std::string> path;
    path.reserve(headings_.size());
    for (const Heading& h : headings_) path.push_back(h.text);
    return path;
  }

  static bool is_glossary(std::string_view heading) {
    // "Glossary", "APPENDIX A: GLOSSARY", "Terminology", "Definitions",
    // "3. Terms and Definitions"; not "Resource Definitions".
    static const RE2 definitions(
        R"((?i)^(?:(?:appendix\s+\w+|[ivxlc0-9]+)\s*[:.)\-]?\s*)?(?:key\s+|terms\s+(?:and|&)\s+)?definitions?\b.*)");
    return text::icontains(heading, "glossary") || text::icontains(heading, "terminology") ||
           RE2::FullMatch(re2::StringPiece(heading.data(), heading.size()), definitions);
  }

  static bool is_policy(std::string_view heading) {
    return text::icontains(heading, "violation") || text::icontains(heading, "remediation") ||
           text::icontains(heading, "severity");
  }

  bool in_glossary() const {
    return std::any_of(headings_.begin(), headings_.end(), [](const Heading& h) { return h.glossary; });
  }

  bool in_policy() const {
    return std::any_of(headings_.begin(), headings_.end(), [](const Heading& h) { return h.policy; });
  }

  // The slugs of the two innermost headings (the title left out), each with a '/'.
  std::string heading_prefix() const {
    std::vector<const std::string*> slugs;
    for (const Heading& h : headings_)
      if (!(drop_title_ && h.level == 1)) slugs.push_back(&h.slug);
    std::string prefix;
    for (std::size_t i = slugs.size() > 2 ? slugs.size() - 2 : 0; i < slugs.size(); ++i) {
      prefix += *slugs[i];
      prefix += '/';
    }
    return prefix;
  }

  std::vector<std::string> current_section_path() const {
    return constitution_.sections.empty() ? std::vector<std::string>{} : constitution_.sections.back().path;
  }

  // The index of the clause added, or nullopt when none is (in a glossary).
  std::optional<std::size_t> add(Clause clause, std::string_view slug_source) {
    if (in_glossary_) return std::nullopt;
    clause.section_path = current_section_path();
    std::string slug = slug_source.empty() ? std::string("structure") : text::slugify(slug_source, 8);
    while (!slug.empty() && slug.back() == '-') slug.pop_back();  // slugify may end on a separator
    if (slug.empty()) slug = "clause";
    base_ids_.push_back(heading_prefix_ + slug);
    constitution_.clauses.push_back(std::move(clause));
    return constitution_.clauses.size() - 1;
  }

  // ---------------------------------------------------------- paragraphs

  std::optional<LeadIn> paragraph(cmark_node* node, std::string& previous_paragraph) {
    const int start = cmark_node_get_start_line(node);
    const std::string raw = inline_text(node);
    previous_paragraph = collapse(raw);
    if (footer(node, raw, start)) return std::nullopt;

    const std::vector<Sentence> sentences = split_sentences(raw);
    const bool rationale = text::to_lower(previous_paragraph).starts_with("rationale");
    std::optional<std::size_t> last_clause;  // of the last sentence
    for (const Sentence& sentence : sentences) {
      last_clause.reset();
      const auto keyword = find_keyword(collapse(sentence.text));
      if (!keyword) {
        if (!in_glossary_)
          constitution_.prose.push_back({current_section_path(), collapse(sentence.text),
                                         start + sentence.first_line, start + sentence.last_line, rationale});
        continue;
      }
      Clause clause;
      clause.text = collapse(sentence.text);
      clause.line = start + sentence.first_line;
      clause.end_line = start + sentence.last_line;
      clause.kind = ClauseKind::sentence;
      clause.modality = *keyword;
      const std::string slug_source = clause.text;
      last_clause = add(std::move(clause), slug_source);
    }
    if (sentences.empty()) return std::nullopt;
    const std::string last = collapse(sentences.back().text);
    if (!last.ends_with(':')) return std::nullopt;
    const auto keyword = find_keyword(last);
    if (!keyword) return std::nullopt;
    return LeadIn{*keyword, last, last_clause};
  }

  // "**Version**: 2.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03"
  // A field that cannot be read ("**Version**: 5.0", an unfilled template's
  // "[CONSTITUTION_VERSION]") is a warning and is left out: the footer is
  // metadata, and the clauses above it are still the constitution.
  bool footer(cmark_node* node, const std::string& raw, int line) {
    static const RE2 version_line(R"((?i)^\s*version\s*:)");
    const std::string first_line = collapse(raw.substr(0, raw.find('\n')));
    if (!RE2::PartialMatch(first_line, version_line)) return false;
    cmark_node* first = cmark_node_first_child(node);
    const bool strong_label = first != nullptr && cmark_node_get_type(first) == CMARK_NODE_STRONG;
    const bool fields = first_line.find('|') != std::string::npos || text::icontains(first_line, "ratified") ||
                        text::icontains(first_line, "amended");
    if (!strong_label && !fields) return false;

    static const RE2 semver(R"(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)");
    VersionFooter result;
    result.line = line;
    bool have_version = false;
    bool malformed_version = false;
    for (std::string_view field : text::split(first_line, '|')) {
      const auto colon = field.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string key = text::to_lower(text::trim(field.substr(0, colon)));
      const std::string value{text::trim(field.substr(colon + 1))};
      if (key == "version") {
        if (!RE2::FullMatch(value, semver)) {
          warn(fmt::format("malformed version '{}' in the version footer: expected MAJOR.MINOR.PATCH (e.g. 1.0.0); "
                           "the constitution is read without a version",
                           value),
               line);
          malformed_version = true;
          continue;
        }
        result.version = value;
        have_version = true;
      } else if (key == "ratified" || key == "last amended" || key == "amended") {
        std::optional<Date> date;
        if (!text::to_lower(value).starts_with("todo")) {
          date = Date::parse(value);
          if (!date) {
            warn(fmt::format("malformed date '{}' for '{}' in the version footer: expected YYYY-MM-DD",
                             value, text::trim(field.substr(0, colon))),
                 line);
          }
        }
        (key == "ratified" ? result.ratified : result.last_amended) = date;
      }
    }
    if (!have_version) {
      if (!malformed_version)
        warn("version footer without a version: expected **Version**: MAJOR.MINOR.PATCH", line);
      return true;
    }
    constitution_.version = std::move(result);
    return true;
  }

  void warn(std::string message, int line) {
    if (constitution_.warnings.size() == kMaxWarnings) {
      ++warnings_left_out_;
      return;
    }
    constitution_.warnings.push_back({std::move(message), line});
  }

  // ---------------------------------------------------------- lists

  PolicyList policy_list(std::string_view lead_text) const {
    if (!in_policy_) return PolicyList::none;
    const std::string& title = headings_.back().text;
    const auto mentions_deadline = [](std::string_view s) {
      return text::icontains(s, "timeline") || text::icontains(s, "deadline") || text::icontains(s, "resolution");
    };
    if (mentions_deadline(title)) return PolicyList::timelines;
    if (text::icontains(title, "severity") || text::icontains(title, "violation")) {
      return mentions_deadline(lead_text) || text::icontains(lead_text, "remediation") ? PolicyList::timelines
                                                                                        : PolicyList::natures;
    }
    if (text::icontains(title, "remediation")) return PolicyList::timelines;
    return PolicyList::none;
  }

  int policy_line() const {
    for (const Heading& h : headings_)
      if (h.policy) return h.line;
    return 0;
  }

  void policy_item(PolicyList kind, const std::string& item, int line) {
    const auto colon = item.find(':');
    const std::string label = colon == std::string::npos ? item : std::string(text::trim(item.substr(0, colon)));
    const std::string description =
        colon == std::string::npos ? std::string{} : std::string(text::trim(std::string_view(item).substr(colon + 1)));
    const auto severity = colon == std::string::npos ? std::nullopt : parse_severity(label);
    SeverityPolicy& policy = constitution_.severity;
    if (kind == PolicyList::timelines) {
      if (!severity) {
        error_ = Error{fmt::format("unknown severity '{}' in the remediation timelines "
                                   "(expected Critical, High, Medium or Low)",
                                   label),
                       path_, line};
        return;
      }
      const auto deadline = detail::read_deadline(description);
      if (!deadline) {
        error_ = Error{fmt::format("cannot read a deadline in '{}' (expected e.g. '24-hour', '7-day' or 'sprint')",
                                   description),
                       path_, line};
        return;
      }
      policy.deadlines[static_cast<std::size_t>(*severity)] = *deadline;
    } else {
      if (!severity) return;
      policy.descriptions[static_cast<std::size_t>(*severity)] = description;
      detail::apply_natures(policy, *severity, description);
    }
    policy.from_constitution = true;
    policy.line = policy_line();
  }

  void list(cmark_node* node, const LeadIn* lead, std::string_view lead_text, int depth, bool nested) {
    if (depth > kMaxDepth) return;
    const PolicyList policy = nested ? PolicyList::none : policy_list(lead_text);
    for (cmark_node* item = cmark_node_first_child(node); item != nullptr && !error_; item = cmark_node_next(item)) {
      if (cmark_node_get_type(item) != CMARK_NODE_ITEM) continue;
      list_item(item, lead, policy, depth);
    }
    // Every clause added since the lead-in's own belongs to its list.
    if (lead != nullptr && lead->clause)
      constitution_.clauses[*lead->clause].list_clauses = constitution_.clauses.size() - *lead->clause - 1;
  }

  void list_item(cmark_node* item, const LeadIn* lead, PolicyList policy, int depth) {
    std::string raw;
    int first_line = 0;
    int last_line = 0;
    for (cmark_node* child = cmark_node_first_child(item); child != nullptr; child = cmark_node_next(child)) {
      if (cmark_node_get_type(child) != CMARK_NODE_PARAGRAPH) continue;
      const std::string piece = inline_text(child);
      const int start = cmark_node_get_start_line(child);
      if (first_line == 0) first_line = start;
      last_line = start + count_newlines(piece);
      if (!raw.empty()) raw += '\n';
      raw += piece;
    }
    const std::string item_text = collapse(raw);
    std::optional<LeadIn> nested_lead;
    if (!item_text.empty()) {
      Clause clause;
      clause.text = item_text;
      clause.line = first_line;
      clause.end_line = last_line;
      const auto keyword = find_keyword(item_text);
      if (keyword) {
        clause.kind = ClauseKind::list_item;
        clause.modality = *keyword;
      } else if (lead != nullptr) {
        clause.kind = ClauseKind::list_item;
        clause.modality = lead->modality;
        clause.modality_inherited = true;
        clause.lead_in = lead->text;
      } else {
        clause.kind = ClauseKind::standard_item;
        clause.modality = Modality::rule;
      }
      if (item_text.ends_with(':') && (keyword || lead != nullptr)) {
        nested_lead = LeadIn{clause.modality, item_text};
      }
      if (policy != PolicyList::none) {
        policy_item(policy, item_text, first_line);
        if (error_) return;
      }
      const auto added = add(std::move(clause), item_text);
      if (nested_lead) nested_lead->clause = added;
    }
    // Nested blocks: sub-lists (under this item's lead-in), code, quotes.
    std::string previous_paragraph = item_text;
    for (cmark_node* child = cmark_node_first_child(item); child != nullptr && !error_;
         child = cmark_node_next(child)) {
      switch (cmark_node_get_type(child)) {
        case CMARK_NODE_LIST: list(child, nested_lead ? &*nested_lead : nullptr, previous_paragraph, depth + 1, true); break;
        case CMARK_NODE_CODE_BLOCK: code_block(child); break;
        case CMARK_NODE_HTML_BLOCK: html_block(child); break;
        case CMARK_NODE_BLOCK_QUOTE: blocks(child, depth + 1); break;
        default: break;
      }
    }
  }

  // ---------------------------------------------------------- code and HTML

  static bool is_structure(std::string_view code) {
    if (code.find("\xE2\x94\x9C\xE2\x94\x80\xE2\x94\x80") != std::string_view::npos ||  // ├──
        code.find("\xE2\x94\x94\xE2\x94\x80\xE2\x94\x80") != std::string_view::npos ||  // └──
        code.find("\xE2\x94\x82") != std::string_view::npos)                            // │
      return true;
    static const RE2 path_line(R"(\s*[A-Za-z0-9_.@{}*\-][A-Za-z0-9_.@{}*\-/]*\s*(#.*)?)");
    int lines = 0;
    for (std::string_view line : text::split_lines(code)) {
      if (text::trim(line).empty()) continue;
      if (!RE2::FullMatch(re2::StringPiece(line.data(), line.size()), path_line)) return false;
      if (lines == 0) {
        std::string_view name = line.substr(0, line.find('#'));
        if (!text::trim(name).ends_with('/')) return false;
      }
      ++lines;
    }
    return lines >= 2;
  }

  void code_block(cmark_node* node) {
    const char* literal = cmark_node_get_literal(node);
    if (literal == nullptr) return;
    const std::string_view code(literal);
    if (!is_structure(code)) return;
    int fence_length = 0;
    int fence_offset = 0;
    char fence_char = 0;
    const bool fenced = cmark_node_get_fenced(node, &fence_length, &fence_offset, &fence_char) != 0;
    Clause clause;
    clause.text = std::string(code);
    clause.line = cmark_node_get_start_line(node) + (fenced ? 1 : 0);
    clause.end_line = clause.line + std::max(0, static_cast<int>(text::split_lines(code).size()) - 1);
    clause.kind = ClauseKind::structure_block;
    clause.modality = Modality::structure;
    add(std::move(clause), {});
  }

  void html_block(cmark_node* node) {
    if (constitution_.sync_impact) return;
    const char* literal = cmark_node_get_literal(node);
    if (literal == nullptr) return;
    const std::string_view html(literal);
    const auto open = html.find("<!--");
    if (open == std::string_view::npos) return;
    std::string_view body = html.substr(open + 4);
    if (const auto close = body.find("-->"); close != std::string_view::npos) body = body.substr(0, close);
    body = text::trim(body);
    if (!text::to_upper(body.substr(0, 18)).starts_with("SYNC IMPACT REPORT")) return;
    constitution_.sync_impact = parse_sync_impact(body, cmark_node_get_start_line(node));
  }

  static SyncImpactReport parse_sync_impact(std::string_view body, int line) {
    SyncImpactReport report;
    report.text = std::string(body);
    report.line = line;
    static const RE2 version_change(R"((?i)^version\s+change\s*:\s*(.*?)\s*(?:→|->)\s*(.*)$)");
    std::vector<std::string>* current = nullptr;
    const auto none = [](std::string_view v) {
      const std::string lowered = text::to_lower(text::trim(v));
      // English, and the words spec-kit's translated reports use.
      return lowered.empty() || lowered.starts_with("none") || lowered.starts_with("n/a") ||
             lowered.starts_with("\xE6\x97\xA0") /* 无 */ || lowered.starts_with("\xE7\x84\xA1") /* 無 */ ||
             lowered.starts_with("\xE3\x81\xAA\xE3\x81\x97") /* なし */ ||
             lowered.starts_with("\xEC\x97\x86\xEC\x9D\x8C") /* 없음 */ || lowered.starts_with("ninguno");
    };
    const auto first_word = [](std::string_view v) {
      v = text::trim(v);
      return std::string(v.substr(0, v.find_first_of(" \t(")));
    };
    bool first = true;
    for (std::string_view raw_line : text::split_lines(body)) {
      std::string_view line_text = text::trim(raw_line);
      if (first) {  // "SYNC IMPACT REPORT:" itself
        first = false;
        continue;
      }
      if (line_text.empty()) continue;
      const bool bullet = line_text.starts_with("- ") || line_text.starts_with("* ");
      const std::string_view content = bullet ? text::trim(line_text.substr(2)) : line_text;
      std::string from;
      std::string to;
      if (RE2::FullMatch(re2::StringPiece(content.data(), content.size()), version_change, &from, &to)) {
        report.version_from = first_word(from);
        report.version_to = first_word(to);
        current = nullptr;
        continue;
      }
      const auto colon = content.find(':');
      std::vector<std::string>* key = nullptr;
      if (colon != std::string_view::npos) {
        const std::string label = text::to_lower(text::trim(content.substr(0, colon)));
        if (label.starts_with("modified")) key = &report.modified;
        else if (label.starts_with("added")) key = &report.added;
        else if (label.starts_with("removed")) key = &report.removed;
        else if (label.starts_with("templates")) key = &report.pending_templates;
        else if (label.starts_with("follow-up") || label.starts_with("follow up") || label.starts_with("deferred"))
          key = &report.follow_up;
      }
      if (key != nullptr) {
        current = key;
        const std::string_view value = text::trim(content.substr(colon + 1));
        if (!none(value)) key->emplace_back(value);
        continue;
      }
      // Another heading of the report ("Rationale for 1.0.1:", "- Agent
      // guidance synchronized:") ends the list before it.
      if (!bullet || content.ends_with(':')) {
        current = nullptr;
        continue;
      }
      if (current != nullptr && !none(content)) current->emplace_back(content);
    }
    return report;
  }

  std::string path_;
  bool drop_title_;
  Constitution constitution_;
  std::vector<Heading> headings_;
  bool in_glossary_ = false;    // of headings_
  bool in_policy_ = false;      // of headings_
  std::string heading_prefix_;  // of headings_
  std::vector<std::string> base_ids_;  // of constitution_.clauses, before disambiguation
  std::optional<Error> error_;
  std::size_t warnings_left_out_ = 0;
};

struct DocumentDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};

Result<Constitution> parse_impl(std::string_view markdown, std::string path, bool require_clauses) {
  const std::string_view input = text::strip_bom(markdown);
  if (text::trim(input).empty()) return fail("empty file: is this a constitution?", path, 1);
  if (const auto nul = input.find('\0'); nul != std::string_view::npos) {
    return fail("binary file (NUL byte): not a constitution", path, line_of(input, nul));
  }
  if (const auto bad = text::first_invalid_utf8(input)) {
    const std::size_t line_start = input.find_last_of("\r\n", *bad == 0 ? 0 : *bad - 1);
    const std::size_t column = line_start == std::string_view::npos || *bad == 0 ? *bad + 1 : *bad - line_start;
    return fail("invalid UTF-8", path, line_of(input, *bad), static_cast<int>(column));
  }
  const std::string normalized = normalize_newlines(input);
  std::unique_ptr<cmark_node, DocumentDeleter> document(
      cmark_parse_document(normalized.data(), normalized.size(), CMARK_OPT_DEFAULT));
  if (!document) return fail("cannot parse Markdown", path);

  int titles = 0;
  for (cmark_node* node = cmark_node_first_child(document.get()); node != nullptr; node = cmark_node_next(node)) {
    if (cmark_node_get_type(node) == CMARK_NODE_HEADING && cmark_node_get_heading_level(node) == 1) ++titles;
  }
  Walker walker(path, titles == 1);
  walker.blocks(document.get(), 0);
  if (walker.error()) return std::unexpected(*walker.error());
  Constitution constitution = std::move(walker).finish();
  if (require_clauses && constitution.clauses.empty()) return fail("no clauses found: is this a constitution?", path);
  return constitution;
}

Result<Constitution> parse_checked(std::string_view markdown, std::string path, bool require_clauses) {
  try {
    auto parsed = parse_impl(markdown, std::move(path), require_clauses);
    if (parsed) parsed->source_digest = digest::sha256_hex(markdown);
    return parsed;
  } catch (const std::exception& e) {
    return fail(fmt::format("cannot parse the constitution: {}", e.what()));
  } catch (...) {
    return fail("cannot parse the constitution");
  }
}

}  // namespace

Result<Constitution> parse(std::string_view markdown, std::string path) {
  return parse_checked(markdown, std::move(path), true);
}

Result<Constitution> parse_document(std::string_view markdown, std::string path) {
  return parse_checked(markdown, std::move(path), false);
}

Result<Constitution> load(const std::filesystem::path& file, const std::filesystem::path& confine_to) {
  files::ReadOptions options;
  options.max_size = kMaxSize;
  options.confine_to = confine_to;
  auto content = files::read(file, options);
  if (!content) {
    Error error = std::move(content.error().error);
    error.message = fmt::format("cannot read the constitution: {}", error.message);
    return std::unexpected(std::move(error));
  }
  return parse(*content, file.string());
}

}  // namespace constable::constitution
