#include "constitution/lint.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <re2/re2.h>

#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::constitution {

namespace {

// Sorted by id; lint_rules() hands them out and findings point at them.
const std::vector<LintRule> kRules = {
    {"constitution/attestation-only", LintLevel::note,
     "A clause about people or a recurring meeting: no file can show it, only an attestation"},
    {"constitution/conflicting-parameters", LintLevel::warning,
     "Two clauses about the same thing with different numbers (two coverage minimums)"},
    {"constitution/date", LintLevel::error,
     "A version footer date not in ISO form (YYYY-MM-DD), amended before it was ratified, or in the future"},
    {"constitution/duplicate-clause", LintLevel::warning, "The same clause twice"},
    {"constitution/lower-case-keyword", LintLevel::warning,
     "'must' or 'shall' in lower case, which is not a requirement keyword (RFC 8174)"},
    {"constitution/no-modal-verb", LintLevel::warning,
     "A principle stated without MUST, SHALL or another RFC 2119 keyword where its siblings have one"},
    {"constitution/not-parsed", LintLevel::error, "The document cannot be read as a constitution"},
    {"constitution/pending-follow-up", LintLevel::warning,
     "The Sync Impact Report still lists templates to update or follow-up TODOs"},
    {"constitution/placeholder", LintLevel::error, "A template token left unfilled ([PRINCIPLE_NAME], TODO(...))"},
    {"constitution/sync-impact-report", LintLevel::warning, "An amended constitution without a Sync Impact Report"},
    {"constitution/unenforceable", LintLevel::note,
     "A clause nothing can find violated: it grants a permission (MAY) without a limit"},
    {"constitution/version-footer", LintLevel::warning, "No version footer, or one whose version cannot be read"},
    {"constitution/version-mismatch", LintLevel::error,
     "The Sync Impact Report's version change disagrees with the version footer"},
};

const LintRule& rule(std::string_view id) {
  const auto it = std::lower_bound(kRules.begin(), kRules.end(), id,
                                   [](const LintRule& r, std::string_view wanted) { return r.id < wanted; });
  // A rule this file names but the table lacks is a programming error the
  // tests hit (each rule fires in one); never read past the table.
  if (it == kRules.end() || it->id != id) std::abort();
  return *it;
}

// The text with HTML comments and fenced code blocks blanked out (newlines
// kept), so offsets and lines stay those of the file: a token in an example
// or in a comment's guidance is not one left unfilled in the document.
std::string prose_only(std::string_view text) {
  std::string out(text);
  std::size_t i = 0;
  bool line_start = true;
  while (i < out.size()) {
    if (line_start) {
      std::size_t indent = i;
      while (indent < out.size() && indent - i < 4 && out[indent] == ' ') ++indent;
      const std::string_view rest = std::string_view(out).substr(indent);
      if (rest.starts_with("```") || rest.starts_with("~~~")) {
        const std::string fence(rest.substr(0, 3));
        std::size_t end = out.find('\n', indent);
        // Blank to the closing fence's line end (or the end of the file).
        while (end != std::string::npos) {
          std::size_t next = end + 1;
          std::size_t at = next;
          while (at < out.size() && out[at] == ' ') ++at;
          if (std::string_view(out).substr(at).starts_with(fence)) {
            end = out.find('\n', at);
            break;
          }
          end = out.find('\n', next);
        }
        const std::size_t stop = end == std::string::npos ? out.size() : end;
        for (std::size_t k = i; k < stop; ++k)
          if (out[k] != '\n') out[k] = ' ';
        i = stop;
        continue;
      }
    }
    if (out.compare(i, 4, "<!--") == 0) {
      const std::size_t close = out.find("-->", i + 4);
      const std::size_t stop = close == std::string::npos ? out.size() : close + 3;
      for (std::size_t k = i; k < stop; ++k)
        if (out[k] != '\n') out[k] = ' ';
      i = stop;
      line_start = false;
      continue;
    }
    line_start = out[i] == '\n';
    ++i;
  }
  return out;
}

struct Position {
  int line = 1;
  int column = 1;
};

// Line and column of each offset, for offsets given in increasing order.
class Positions {
 public:
  explicit Positions(std::string_view text) : text_(text) {}
  Position at(std::size_t offset) {
    for (; scanned_ < offset && scanned_ < text_.size(); ++scanned_) {
      if (text_[scanned_] == '\n') {
        ++line_;
        line_start_ = scanned_ + 1;
      }
    }
    return {line_, static_cast<int>(offset - line_start_) + 1};
  }

 private:
  std::string_view text_;
  std::size_t scanned_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
};

// spec-kit's tokens ([PROJECT_NAME], [PRINCIPLE_1_NAME]) always hold an
// underscore, which keeps "[API]" style reference links out; the to-do
// marker with a field name in parentheses is how its prompt marks a value
// it could not fill in. Group 1 or 2 matches.
const RE2& template_token() {
  static const RE2 token(R"((\[[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\])|\b(TODO\([^)\n]*\)))");
  return token;
}

void placeholders(std::string_view text, std::vector<LintFinding>& out) {
  const RE2& token = template_token();
  const std::string masked = prose_only(text);
  struct Seen {
    Position first;
    std::vector<int> more_lines;
  };
  std::map<std::string, Seen> tokens;  // by token; reported in order of first appearance below
  std::vector<std::string> order;
  Positions positions(masked);
  re2::StringPiece input(masked);
  re2::StringPiece bracket;
  re2::StringPiece todo;
  while (RE2::FindAndConsume(&input, token, &bracket, &todo)) {
    const re2::StringPiece& match = bracket.data() != nullptr ? bracket : todo;
    const std::string name(match.data(), match.size());
    // A reference-style link ("[TOKEN_NAME]: https://...") is not a token.
    if (bracket.data() != nullptr) {
      const std::size_t after = static_cast<std::size_t>(match.data() - masked.data()) + match.size();
      if (after < masked.size() && (masked[after] == '(' || masked[after] == '[' || masked[after] == ':')) continue;
    }
    const Position at = positions.at(static_cast<std::size_t>(match.data() - masked.data()));
    auto [it, added] = tokens.try_emplace(name, Seen{at, {}});
    if (added) order.push_back(name);
    else if (it->second.more_lines.size() < 20 && it->second.first.line != at.line) it->second.more_lines.push_back(at.line);
  }
  for (const std::string& name : order) {
    const Seen& seen = tokens.at(name);
    std::string also;
    if (!seen.more_lines.empty()) {
      also = " (also on line";
      also += seen.more_lines.size() > 1 ? "s " : " ";
      for (std::size_t i = 0; i < seen.more_lines.size(); ++i)
        also += fmt::format("{}{}", i == 0 ? "" : ", ", seen.more_lines[i]);
      also += ")";
    }
    const bool todo_marker = name.starts_with("TODO(");
    out.push_back({&rule("constitution/placeholder"), seen.first.line, seen.first.column,
                   todo_marker ? fmt::format("{} marks a value still to be filled in{}", name, also)
                               : fmt::format("template token {} is not filled in{}", name, also),
                   {}});
  }
}

// -------------------------------------------------------------- versions

// "**版本**：1.0.0 | ...", "**Version:** 1.1.0", "> 版本：1.0.0": a version
// line in words or a place the parser does not read as the footer. It is
// there; only its form is not spec-kit's.
bool has_footer_like_line(std::string_view markdown) {
  static const RE2 footer(
      R"((?mi)^[>\s]*(?:\*\*)?(?:version|versi\x{F3}n|vers\x{E3}o|\x{7248}\x{672C}|\x{30D0}\x{30FC}\x{30B8}\x{30E7}\x{30F3}|)"
      R"(\x{BC84}\x{C804})\s*(?::|\x{FF1A})?\s*(?:\*\*)?\s*(?::|\x{FF1A})?\s*v?\d+\.\d+\.\d+)");
  return RE2::PartialMatch(re2::StringPiece(markdown.data(), markdown.size()), footer);
}

// Edited since it was committed, in a way that needs a bump: the footer and
// the report must say so before the edit is merged.
void uncommitted_amendment(const Constitution& c, const LintOptions& options, std::vector<LintFinding>& out) {
  const ConstitutionDiff* change = options.since_committed;
  if (change == nullptr || change->required == Bump::none) return;
  const int line = c.version ? c.version->line : 1;
  if (change->made && *change->made == Bump::none) {
    out.push_back({&rule("constitution/sync-impact-report"), line, 0,
                   fmt::format("changed since {} ({} required: {}) but the version is still {}; "
                               "`constable constitution amend` writes the new version and its report",
                               options.committed_label, to_string(change->required), change->required_because,
                               change->version_after),
                   {}});
    return;
  }
  // A report about another version is version-mismatch's; a missing one is this rule's.
  if (change->version_after.empty() || c.sync_impact) return;
  out.push_back({&rule("constitution/sync-impact-report"), line, 0,
                 fmt::format("the version is now {} but no Sync Impact Report says what changed since {}; "
                             "`constable constitution amend --to {}` writes it",
                             change->version_after, options.committed_label, change->version_after),
                 {}});
}

void versions(const Constitution& c, std::string_view markdown, std::vector<LintFinding>& out) {
  const SyncImpactReport* report = c.sync_impact ? &*c.sync_impact : nullptr;
  const bool footer_warned = std::any_of(c.warnings.begin(), c.warnings.end(), [](const Warning& w) {
    return !w.message.starts_with("malformed date");
  });
  if (!c.version) {
    if (!footer_warned && !has_footer_like_line(markdown))
      out.push_back({&rule("constitution/version-footer"), report != nullptr ? report->line : 1, 0,
                     "no version footer (**Version**: MAJOR.MINOR.PATCH | **Ratified**: YYYY-MM-DD | "
                     "**Last Amended**: YYYY-MM-DD): amendments cannot be versioned",
                     {}});
  }
  if (report == nullptr) {
    // Amended since ratification: the amendment should say what it changed.
    if (c.version && c.version->ratified && c.version->last_amended &&
        *c.version->last_amended != *c.version->ratified)
      out.push_back({&rule("constitution/sync-impact-report"), c.version->line, 0,
                     fmt::format("amended on {} (ratified {}) but no Sync Impact Report says what changed; "
                                 "`constable constitution amend` writes one",
                                 c.version->last_amended->to_string(), c.version->ratified->to_string()),
                     {}});
    return;
  }
  if (report->version_to.empty()) return;
  const auto readable = [](std::string_view version) { return bump_between("0.0.0", version).has_value(); };
  if (!readable(report->version_to)) {
    out.push_back({&rule("constitution/version-mismatch"), report->line, 0,
                   fmt::format("the Sync Impact Report's version change ends in '{}', not MAJOR.MINOR.PATCH",
                               report->version_to),
                   {}});
    return;
  }
  if (readable(report->version_from) && bump_between(report->version_from, report->version_to).value_or(Bump::none) ==
                                            Bump::none)
    out.push_back({&rule("constitution/version-mismatch"), report->line, 0,
                   fmt::format("the Sync Impact Report's version change {} → {} is not an increase",
                               report->version_from, report->version_to),
                   {}});
  if (c.version && bump_between(c.version->version, report->version_to) != Bump::none)
    out.push_back({&rule("constitution/version-mismatch"), c.version->line, 0,
                   fmt::format("the version footer says {} but the Sync Impact Report (line {}) changes the "
                               "version to {}",
                               c.version->version, report->line, report->version_to),
                   {}});
}

// spec-kit marks each template "✅ updated" or "⚠ pending".
void follow_ups(const Constitution& c, std::vector<LintFinding>& out) {
  if (!c.sync_impact) return;
  const SyncImpactReport& report = *c.sync_impact;
  std::vector<std::string> pending;
  for (const std::string& item : report.pending_templates) {
    // Only what the report itself marks as still to do: items say "OK,
    // compatible", "(not present)", "aligned" in as many ways as there are
    // reports.
    static const RE2 open_item(
        R"((?i)\x{26A0}|\bpending\b|\btodo\b|\bneeds?\b|\brequires? (?:an? )?update|\bto (?:be )?update|)"
        R"(manual (?:check|review)|\x{9700})");
    if (text::contains(item, "\xE2\x9C\x85") || !RE2::PartialMatch(item, open_item)) continue;
    // The template's name, without the warning sign or the word "pending"
    // wherever the report put them.
    std::string name = item;
    for (std::string_view mark : {std::string_view("\xE2\x9A\xA0\xEF\xB8\x8F"), std::string_view("\xE2\x9A\xA0")})
      for (auto at = name.find(mark); at != std::string::npos; at = name.find(mark)) name.erase(at, mark.size());
    if (const auto at = text::to_lower(name).find("pending"); at != std::string::npos) name.erase(at);
    pending.emplace_back(text::trim(name));
  }
  if (!pending.empty()) {
    std::string names;
    for (std::size_t i = 0; i < pending.size() && i < 5; ++i) names += fmt::format("{}{}", i == 0 ? "" : ", ", pending[i]);
    if (pending.size() > 5) names += fmt::format(" and {} more", pending.size() - 5);
    out.push_back({&rule("constitution/pending-follow-up"), report.line, 0,
                   fmt::format("the Sync Impact Report still lists {} template{} to update: {}", pending.size(),
                               pending.size() == 1 ? "" : "s", names),
                   {}});
  }
  if (!report.follow_up.empty())
    out.push_back({&rule("constitution/pending-follow-up"), report.line, 0,
                   fmt::format("the Sync Impact Report has {} open follow-up TODO{}: {}", report.follow_up.size(),
                               report.follow_up.size() == 1 ? "" : "s", text::shorten(report.follow_up.front(), 120)),
                   {}});
}

void dates(const Constitution& c, const LintOptions& options, std::vector<LintFinding>& out) {
  for (const Warning& w : c.warnings) {
    // A footer still holding the template's tokens is the placeholder rule's.
    if (RE2::PartialMatch(w.message, template_token())) continue;
    if (w.message.starts_with("malformed date")) out.push_back({&rule("constitution/date"), w.line, 0, w.message, {}});
    else out.push_back({&rule("constitution/version-footer"), w.line, 0, w.message, {}});
  }
  if (!c.version) return;
  const VersionFooter& footer = *c.version;
  if (footer.ratified && footer.last_amended && *footer.last_amended < *footer.ratified)
    out.push_back({&rule("constitution/date"), footer.line, 0,
                   fmt::format("last amended {} before it was ratified ({})", footer.last_amended->to_string(),
                               footer.ratified->to_string()),
                   {}});
  for (const auto& [label, date] : {std::pair{"ratified", footer.ratified}, std::pair{"last amended", footer.last_amended}})
    if (date && *date > options.today)
      out.push_back({&rule("constitution/date"), footer.line, 0,
                     fmt::format("{} {}, after today ({})", label, date->to_string(), options.today.to_string()), {}});
}

// -------------------------------------------------------------- clauses

bool same_path(const std::vector<std::string>& a, const std::vector<std::string>& b) { return a == b; }

bool is_parent(const std::vector<std::string>& parent, const std::vector<std::string>& child) {
  return child.size() == parent.size() + 1 && std::equal(parent.begin(), parent.end(), child.begin());
}

// Outside parentheses and quotes: "(user must re-auth)" describes, and a
// quoted "must" is someone's words.
bool has_lower_case_keyword(std::string_view text) {
  static const RE2 aside(R"(\([^)]*\)|"[^"]*"|\x{201C}[^\x{201D}]*\x{201D})");
  static const RE2 keyword(R"(\b(must|shall)\b)");
  std::string said(text);
  RE2::GlobalReplace(&said, aside, " ");
  return RE2::PartialMatch(said, keyword);
}

// A section whose paragraphs state no keyword, among sibling sections most
// of which do: spec-kit's principles each end up as "### I. Name" with their
// rule under it, so one without a keyword reads as guidance, not a rule.
void principles_without_keyword(const Constitution& c, std::vector<LintFinding>& out) {
  for (std::size_t s = 0; s < c.sections.size(); ++s) {
    const Section& section = c.sections[s];
    const auto first_prose = std::find_if(c.prose.begin(), c.prose.end(), [&](const Statement& p) {
      return same_path(p.section_path, section.path);
    });
    if (first_prose == c.prose.end()) continue;
    // A keyword of its own: a rule item ("Retention: 7 years") is a clause
    // but says nothing about which words a sibling should have used.
    const auto has_clause = [&](const std::vector<std::string>& path) {
      return std::any_of(c.clauses.begin(), c.clauses.end(), [&](const Clause& clause) {
        return clause.modality != Modality::rule && clause.modality != Modality::structure &&
               same_path(clause.section_path, path);
      });
    };
    // Rules of its own (a "Rules:" list without keywords), an introduction
    // to subsections, or lower-case "must" (lower-case-keyword's): not this.
    const bool any_clause = std::any_of(c.clauses.begin(), c.clauses.end(),
                                        [&](const Clause& clause) { return same_path(clause.section_path, section.path); });
    const bool introduces = s + 1 < c.sections.size() && c.sections[s + 1].level > section.level;
    const bool lower_case = std::any_of(c.prose.begin(), c.prose.end(), [&](const Statement& p) {
      return same_path(p.section_path, section.path) && has_lower_case_keyword(p.text);
    });
    if (any_clause || introduces || lower_case) continue;
    const std::vector<std::string> parent(section.path.begin(), section.path.end() - 1);
    int siblings_with_content = 0;
    int siblings_with_clauses = 0;
    for (const Section& other : c.sections) {
      if (&other == &section || other.level != section.level || !is_parent(parent, other.path)) continue;
      const bool clauses = has_clause(other.path);
      const bool prose = std::any_of(c.prose.begin(), c.prose.end(),
                                     [&](const Statement& p) { return same_path(p.section_path, other.path); });
      siblings_with_content += clauses || prose ? 1 : 0;
      siblings_with_clauses += clauses ? 1 : 0;
    }
    // Three siblings at least, two thirds of those with any text: a pattern, not a coincidence.
    if (siblings_with_clauses < 3 || 3 * siblings_with_clauses < 2 * siblings_with_content) continue;
    out.push_back({&rule("constitution/no-modal-verb"), first_prose->line, 0,
                   fmt::format("'{}' states no MUST, SHALL or other RFC 2119 keyword, unlike {} of its {} sibling "
                               "sections: is \"{}\" binding?",
                               section.title(), siblings_with_clauses, siblings_with_content,
                               text::shorten(first_prose->text, 80)),
                   {}});
  }
}

void duplicates(const Constitution& c, std::vector<LintFinding>& out) {
  std::map<std::string, const Clause*, std::less<>> first;
  for (const Clause& clause : c.clauses) {
    // "Rules:" heads each principle's list: a label, not a clause said twice.
    if (clause.kind == ClauseKind::structure_block || clause.text.ends_with(':')) continue;
    auto [it, added] = first.try_emplace(normalized_clause_text(clause.text), &clause);
    if (added) continue;
    const Clause& earlier = *it->second;
    out.push_back({&rule("constitution/duplicate-clause"), clause.line, 0,
                   fmt::format("repeats the clause on line {}{}: \"{}\"", earlier.line,
                               same_path(earlier.section_path, clause.section_path)
                                   ? std::string{}
                                   : fmt::format(" (in '{}')", earlier.section_joined()),
                               text::shorten(clause.text, 80)),
                   clause.id});
  }
}

// RFC 8174: only the upper-case forms are requirement keywords, so
// "All data must be encrypted" is prose to constable. One finding for the
// document, with every line: the fix is one decision about the whole text.
void lower_case_keywords(const Constitution& c, std::vector<LintFinding>& out) {
  std::vector<int> lines;
  std::string example;
  const auto consider = [&](std::string_view text, int line) {
    if (!has_lower_case_keyword(text)) return;
    if (lines.empty()) example = text::shorten(text, 80);
    if (lines.empty() || lines.back() != line) lines.push_back(line);
  };
  // Both lists are in document order; merged so that the lines are too.
  std::vector<std::pair<int, std::string_view>> candidates;
  // A rationale explains the rule; its "must" is not one ("Players must trust the rules").
  for (const Statement& p : c.prose)
    if (!p.rationale) candidates.emplace_back(p.line, p.text);
  for (const Clause& clause : c.clauses)
    if (clause.modality == Modality::rule && !text::to_lower(clause.text).starts_with("rationale"))
      candidates.emplace_back(clause.line, clause.text);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [line, text] : candidates) consider(text, line);
  if (lines.empty()) return;
  std::string where;
  for (std::size_t i = 0; i < lines.size() && i < 20; ++i) where += fmt::format("{}{}", i == 0 ? "" : ", ", lines[i]);
  if (lines.size() > 20) where += fmt::format(" and {} more", lines.size() - 20);
  out.push_back({&rule("constitution/lower-case-keyword"), lines.front(), 0,
                 fmt::format("{} sentence{} 'must' or 'shall' in lower case (line{} {}): RFC 8174 reads only "
                             "MUST and SHALL as requirements, so constable does not take {} as one; write MUST or "
                             "SHALL where a rule is meant, e.g. \"{}\"",
                             lines.size(), lines.size() == 1 ? " says" : "s say", lines.size() == 1 ? "" : "s", where,
                             lines.size() == 1 ? "it" : "them", example),
                 {}});
}

bool in_policy_section(const Clause& clause) {
  return std::any_of(clause.section_path.begin(), clause.section_path.end(), [](const std::string& heading) {
    return text::icontains(heading, "violation") || text::icontains(heading, "remediation") ||
           text::icontains(heading, "severity");
  });
}

// What a clause with a number is about: its words without the number, its
// unit, keywords, bounds and filler. "Unit Tests: Minimum 80% code
// coverage" is about {unit, tests, code, coverage}.
std::set<std::string> subject(std::string_view clause_text, const std::vector<Quantity>& found) {
  static const std::set<std::string, std::less<>> filler = {
      "must", "shall", "should", "may", "not", "never", "be", "is", "are", "the", "a", "an", "of", "for", "to",
      "in", "on", "all", "and", "or", "with", "by", "at", "least", "most", "minimum", "maximum", "min", "max",
      "within", "under", "less", "than", "more", "no", "per", "each", "every", "default", "have", "has", "use",
      "used", "required", "require", "requires", "up", "over", "below", "above", "e", "g"};
  std::set<std::string> words = clause_words(replace_quantities(clause_text, found, " "));
  std::erase_if(words, [](const std::string& w) { return filler.contains(w); });
  return words;
}

bool same_subject(const std::set<std::string>& a, const std::set<std::string>& b) {
  const auto& small = a.size() <= b.size() ? a : b;
  const auto& large = a.size() <= b.size() ? b : a;
  if (small.size() < 2) return false;
  const auto common = static_cast<std::size_t>(
      std::count_if(small.begin(), small.end(), [&](const std::string& w) { return large.contains(w); }));
  return common == small.size() || 4 * common >= 3 * (a.size() + b.size() - common);
}

// The same subject held to two different numbers of one kind and bound:
// "Minimum 80% code coverage" here, "Code coverage MUST be at least 70%" there.
void conflicting_parameters(const Constitution& c, std::vector<LintFinding>& out) {
  struct Stated {
    const Clause* clause;
    Quantity quantity;
    std::set<std::string> about;
  };
  std::vector<Stated> stated;
  for (const Clause& clause : c.clauses) {
    if (clause.kind == ClauseKind::structure_block || in_policy_section(clause)) continue;
    const auto found = quantities(clause.text);
    if (found.size() != 1 || found.front().bound == Bound::unknown) continue;  // one number, one rule
    stated.push_back({&clause, found.front(), subject(clause.text, found)});
  }
  for (std::size_t j = 0; j < stated.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      const Quantity& a = stated[i].quantity;
      const Quantity& b = stated[j].quantity;
      // Durations and sizes compare in base units ("7 days" is "1 week"); counts by their noun.
      const bool comparable_units = a.kind != Quantity::Kind::count || a.unit == b.unit;
      if (a.kind != b.kind || a.bound != b.bound || !comparable_units || a.comparable == b.comparable) continue;
      if (!same_subject(stated[i].about, stated[j].about)) continue;
      out.push_back({&rule("constitution/conflicting-parameters"), stated[j].clause->line, 0,
                     fmt::format("\"{}\" says {} where line {} says {} (\"{}\"): which one holds?",
                                 text::shorten(stated[j].clause->text, 70), b.text, stated[i].clause->line, a.text,
                                 text::shorten(stated[i].clause->text, 70)),
                     stated[j].clause->id});
      break;  // one finding per clause
    }
  }
}

// Why only an attestation can show a clause is kept, or nullopt. Words
// about people, and reviews or meetings on a calendar: a repository holds
// files, not the fact that a meeting took place.
std::optional<std::string> attestation_reason(std::string_view clause_text) {
  static const RE2 people(
      R"((?i)\b(complete[sd]?\s+(?:[\w-]+\s+){0,3}training|training\s+(?:for|of)\s+(?:all\s+)?(?:team|staff|engineers|developers|members|employees)|review board|final approval|board approval|on-call|communication to|feedback period|)"
      R"(leadership|security team)\b)");
  static const RE2 cadence(R"((?i)\b(bi-weekly|biweekly|weekly|monthly|quarterly|annual|annually|yearly)\b)");
  static const RE2 meeting(R"((?i)\b(review|reviews|reviewed|audit|audits|audited|meets|meeting|conducted)\b)");
  const re2::StringPiece input(clause_text.data(), clause_text.size());
  std::string word;
  if (RE2::PartialMatch(input, people, &word))
    return fmt::format("it is about people and what they do (\"{}\")", word);
  if (RE2::PartialMatch(input, cadence, &word) && RE2::PartialMatch(input, meeting))
    return fmt::format("it asks for a {} review or meeting, which leaves no file behind", text::to_lower(word));
  return std::nullopt;
}

// "Only public configuration MAY enter the bundle", "MAY use a PRNG for
// tests; never in production", "MAY be used when ...": a permission with a
// limit, whose other side can be violated.
bool restricts(std::string_view clause_text) {
  static const RE2 limit(
      R"((?i)\b(only|but|never|not|no|unless|except|when|where|if|until|provided|MUST|SHALL|SHOULD|REQUIRED|PROHIBITED)\b)");
  return RE2::PartialMatch(re2::StringPiece(clause_text.data(), clause_text.size()), limit);
}

// "Quarterly review of the constitution (add to ROADMAP.md)": a file can show it.
bool names_a_file(std::string_view clause_text) {
  static const RE2 file(R"(\b[\w.-]+\.(?:md|ya?ml|json|toml|txt|adoc|rst)\b)");
  return RE2::PartialMatch(re2::StringPiece(clause_text.data(), clause_text.size()), file);
}

void enforceability(const Constitution& c, const LintOptions& options, std::vector<LintFinding>& out) {
  for (const Clause& clause : c.clauses) {
    if (clause.kind == ClauseKind::structure_block || in_policy_section(clause)) continue;
    if (options.enforced_clause_ids != nullptr && options.enforced_clause_ids->contains(clause.id)) continue;
    // A lead-in's items ("MAY be written in: - research notes") are the
    // scope of one permission, said once by the lead-in, which has a limit.
    const bool lead_in_or_item = clause.modality_inherited || clause.text.ends_with(':');
    if (clause.modality == Modality::may && !lead_in_or_item && !restricts(clause.text)) {
      out.push_back({&rule("constitution/unenforceable"), clause.line, 0,
                     fmt::format("\"{}\" grants a permission (MAY): no check, policy or attestation can find it "
                                 "violated",
                                 text::shorten(clause.text, 80)),
                     clause.id});
      continue;
    }
    if (names_a_file(clause.text)) continue;
    if (const auto reason = attestation_reason(clause.text))
      out.push_back({&rule("constitution/attestation-only"), clause.line, 0,
                     fmt::format("only an attestation can show \"{}\": {}", text::shorten(clause.text, 80), *reason),
                     clause.id});
  }
}

}  // namespace

std::string_view to_string(LintLevel level) {
  switch (level) {
    case LintLevel::error: return "error";
    case LintLevel::warning: return "warning";
    case LintLevel::note: return "note";
  }
  return "note";
}

const std::vector<LintRule>& lint_rules() { return kRules; }

Result<LintResult> lint(std::string_view markdown, const std::string& path, const LintOptions& options) {
  const std::string_view body = text::strip_bom(markdown);
  if (text::trim(body).empty()) return fail("empty file: is this a constitution?", path, 1);
  if (body.find('\0') != std::string_view::npos) return fail("binary file (NUL byte): not a constitution", path);
  if (text::first_invalid_utf8(body)) return fail("invalid UTF-8: not a constitution", path);

  LintResult result;
  placeholders(body, result.findings);
  auto parsed = parse_document(markdown, path);
  if (!parsed) {
    const Error& error = parsed.error();
    result.findings.push_back({&rule("constitution/not-parsed"), std::max(1, error.line), error.column,
                               error.message, {}});
  } else {
    if (parsed->clauses.empty())
      result.findings.push_back({&rule("constitution/not-parsed"), 1, 0,
                                 "no clause: no sentence or list item states MUST, SHALL or another RFC 2119 "
                                 "keyword, so there is nothing to enforce",
                                 {}});
    const Constitution& c = *parsed;
    dates(c, options, result.findings);
    versions(c, body, result.findings);
    uncommitted_amendment(c, options, result.findings);
    follow_ups(c, result.findings);
    principles_without_keyword(c, result.findings);
    duplicates(c, result.findings);
    lower_case_keywords(c, result.findings);
    conflicting_parameters(c, result.findings);
    enforceability(c, options, result.findings);
    if (!parsed->clauses.empty()) result.constitution = std::move(*parsed);
  }
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const LintFinding& a, const LintFinding& b) {
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.rule->id < b.rule->id;
  });
  return result;
}

}  // namespace constable::constitution
