// A line-oriented Gherkin parser: every line is a comment, a tag line, a
// table row, a doc string fence, a keyword line, a step or description
// text, decided by its first characters, then placed by the parser's state.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "core/text.hpp"
#include "formats/gherkin/gherkin.hpp"

namespace constable::gherkin {

namespace {

struct StepKeyword {
  std::string_view word;  // with its trailing space
  StepKind kind;
};
constexpr StepKeyword kStepKeywords[] = {
    {"Given ", StepKind::given}, {"When ", StepKind::when},        {"Then ", StepKind::then},
    {"And ", StepKind::conjunction}, {"But ", StepKind::conjunction}, {"* ", StepKind::conjunction},
};

enum class Header : std::uint8_t { feature, rule, background, outline, scenario, examples };
struct HeaderKeyword {
  std::string_view word;  // without the colon
  Header header;
};
// Longer keywords first: "Scenario Outline" before "Scenario", "Examples" before "Example".
constexpr HeaderKeyword kHeaderKeywords[] = {
    {"Feature", Header::feature},         {"Business Need", Header::feature}, {"Ability", Header::feature},
    {"Rule", Header::rule},               {"Background", Header::background},
    {"Scenario Outline", Header::outline}, {"Scenario Template", Header::outline},
    {"Examples", Header::examples},       {"Scenarios", Header::examples},
    {"Scenario", Header::scenario},       {"Example", Header::scenario},
};

enum class Where : std::uint8_t { start, feature, rule, background, scenario, examples };

// Cells of "| a | b\|c |": escapes \| \\ \n; nullopt when the row is not closed.
std::optional<std::vector<std::string>> table_cells(std::string_view row) {
  std::vector<std::string> cells;
  std::string cell;
  bool closed = false;
  for (std::size_t i = 1; i < row.size(); ++i) {  // row[0] is the opening '|'
    const char c = row[i];
    if (c == '\\' && i + 1 < row.size()) {
      const char next = row[i + 1];
      if (next == '|' || next == '\\') { cell.push_back(next); ++i; continue; }
      if (next == 'n') { cell.push_back('\n'); ++i; continue; }
    }
    if (c == '|') {
      cells.emplace_back(text::trim(cell));
      cell.clear();
      closed = true;
      continue;
    }
    closed = false;
    cell.push_back(c);
  }
  if (!closed || !text::trim(cell).empty()) return std::nullopt;
  return cells;
}

class Parser {
 public:
  Document run(std::string_view text) {
    const auto lines = text::split_lines(text::strip_bom(text));
    for (std::size_t i = 0; i < lines.size(); ++i) line(static_cast<int>(i) + 1, lines[i]);
    finish(static_cast<int>(lines.size()));
    summarise_errors();
    return std::move(doc_);
  }

 private:
  // A file that is mostly wrong (another format, a generated file) must not
  // become a finding per line: a repeated message is reported once, with the
  // count of its repeats, and past kMaxErrors distinct errors the rest are
  // only counted.
  static constexpr std::size_t kMaxErrors = 50;
  struct Repeats {
    std::size_t index = 0;  // into doc_.errors
    std::size_t more = 0;
  };

  void error(int line, int column, std::string message) {
    if (const auto seen = repeats_.find(message); seen != repeats_.end()) {
      ++seen->second.more;
      return;
    }
    if (doc_.errors.size() >= kMaxErrors) {
      ++unreported_;
      return;
    }
    repeats_.emplace(message, Repeats{doc_.errors.size(), 0});
    doc_.errors.push_back({std::move(message), line, column});
  }

  void summarise_errors() {
    for (const auto& [message, repeats] : repeats_)
      if (repeats.more > 0)
        doc_.errors[repeats.index].message += fmt::format(" (and {} more like it)", repeats.more);
    if (unreported_ > 0)
      doc_.errors.back().message += fmt::format("; {} more errors in the file not reported", unreported_);
  }

  void line(int number, std::string_view raw) {
    if (doc_string_) {
      doc_string_line(number, raw);
      return;
    }
    const std::string_view trimmed = text::trim(raw);
    if (trimmed.empty()) return;
    const int column = static_cast<int>(raw.find(trimmed.front())) + 1;
    if (trimmed.starts_with('#')) return comment(number, trimmed);
    if (trimmed.starts_with('@')) return tags(number, raw, trimmed);
    if (trimmed.starts_with('|')) return table_row(number, column, trimmed);
    if (trimmed.starts_with("\"\"\"") || trimmed.starts_with("```")) return open_doc_string(number, column, trimmed);
    for (const auto& h : kHeaderKeywords) {
      if (trimmed.starts_with(h.word) && trimmed.substr(h.word.size()).starts_with(':'))
        return header(number, column, h, text::trim(trimmed.substr(h.word.size() + 1)));
    }
    for (const auto& s : kStepKeywords) {
      if (trimmed.starts_with(s.word) || trimmed == text::trim(s.word))
        return step(number, column, s, trimmed.size() > s.word.size() ? text::trim(trimmed.substr(s.word.size())) : "");
    }
    description(number, column, trimmed);
  }

  void comment(int number, std::string_view trimmed) {
    // "# language: fr" counts only before the Feature.
    std::string_view rest = text::trim(trimmed.substr(1));
    if (doc_.feature || !rest.starts_with("language") ) return;
    rest = text::trim(rest.substr(std::string_view("language").size()));
    if (!rest.starts_with(':')) return;
    const std::string_view language = text::trim(rest.substr(1));
    doc_.language = std::string(language);
    if (language != "en" && language != "en-US" && language != "en-GB")
      error(number, 1, fmt::format("language '{}' is not supported: only English keywords are parsed", language));
  }

  void tags(int number, std::string_view raw, std::string_view trimmed) {
    std::size_t offset = static_cast<std::size_t>(trimmed.data() - raw.data());
    std::string_view rest = trimmed;
    while (!rest.empty()) {
      const auto end = rest.find_first_of(" \t");
      const std::string_view word = rest.substr(0, end);
      if (word.starts_with('#')) break;  // a trailing comment
      const int column = static_cast<int>(offset) + 1;
      if (!word.starts_with('@') || word.size() == 1) {
        error(number, column, fmt::format("'{}' is not a tag: tags start with '@' and have a name", word));
      } else {
        pending_tags_.push_back({std::string(word), number, column});
      }
      if (end == std::string_view::npos) break;
      const std::string_view after = rest.substr(end);
      const std::string_view next = text::trim(after);
      offset += end + static_cast<std::size_t>(after.find(next.empty() ? ' ' : next.front()));
      rest = next;
    }
  }

  void header(int number, int column, const HeaderKeyword& h, std::string_view name) {
    const std::string keyword(h.word);
    if (h.header != Header::feature && !doc_.feature) {
      error(number, column, fmt::format("'{}:' before 'Feature:'", keyword));
      return;
    }
    switch (h.header) {
      case Header::feature:
        if (doc_.feature) {
          error(number, column, fmt::format("a second Feature (the first is at line {})", doc_.feature->line));
          pending_tags_.clear();
          return;
        }
        doc_.feature = Feature{.name = std::string(name), .tags = take_tags(), .description = {}, .background = {},
                               .scenarios = {}, .rules = {}, .line = number, .column = column};
        where_ = Where::feature;
        break;
      case Header::rule:
        doc_.feature->rules.push_back({.name = std::string(name), .tags = take_tags(), .description = {},
                                       .background = {}, .scenarios = {}, .line = number});
        where_ = Where::rule;
        break;
      case Header::background: {
        if (!pending_tags_.empty()) error(number, column, "a Background cannot have tags");
        pending_tags_.clear();
        auto& background = in_rule() ? doc_.feature->rules.back().background : doc_.feature->background;
        const auto& scenarios = scenarios_here();
        if (background) {
          error(number, column, fmt::format("a second Background (the first is at line {})", background->line));
        } else if (!scenarios.empty()) {
          error(number, column, "the Background must come before the first Scenario");
        }
        if (!background) background = Background{.name = std::string(name), .steps = {}, .line = number};
        where_ = Where::background;
        break;
      }
      case Header::outline:
      case Header::scenario:
        scenarios_here().push_back({.keyword = keyword, .name = std::string(name),
                                    .outline = h.header == Header::outline, .tags = take_tags(), .description = {},
                                    .steps = {}, .examples = {}, .line = number, .column = column});
        where_ = Where::scenario;
        break;
      case Header::examples:
        if (where_ != Where::scenario && where_ != Where::examples) {
          error(number, column, "'Examples:' outside a Scenario Outline");
          pending_tags_.clear();
          return;
        }
        scenarios_here().back().outline = true;
        scenarios_here().back().examples.push_back(
            {.keyword = keyword, .name = std::string(name), .tags = take_tags(), .table = {}, .line = number});
        where_ = Where::examples;
        break;
    }
    description_open_ = true;
    last_step_ = false;
  }

  void step(int number, int column, const StepKeyword& s, std::string_view step_text) {
    dangling_tags(number, column);
    description_open_ = false;
    std::vector<Step>* steps = nullptr;
    if (where_ == Where::background) {
      steps = in_rule() ? &doc_.feature->rules.back().background->steps : &doc_.feature->background->steps;
    } else if (where_ == Where::scenario) {
      steps = &scenarios_here().back().steps;
    }
    if (steps == nullptr) {
      error(number, column,
            where_ == Where::examples ? "a step after 'Examples:' (steps belong before the Examples)"
                                      : "a step outside a Scenario or Background");
      last_step_ = false;
      return;
    }
    if (step_text.empty()) error(number, column, fmt::format("'{}' step has no text", text::trim(s.word)));
    steps->push_back({.keyword = std::string(text::trim(s.word)), .kind = s.kind, .text = std::string(step_text),
                      .line = number, .column = column});
    last_step_ = true;
  }

  Step* current_step() {
    if (!last_step_) return nullptr;
    if (where_ == Where::background) {
      auto& background = in_rule() ? doc_.feature->rules.back().background : doc_.feature->background;
      return background && !background->steps.empty() ? &background->steps.back() : nullptr;
    }
    if (where_ == Where::scenario && !scenarios_here().back().steps.empty()) return &scenarios_here().back().steps.back();
    return nullptr;
  }

  void table_row(int number, int column, std::string_view trimmed) {
    dangling_tags(number, column);
    description_open_ = false;
    std::vector<TableRow>* table = nullptr;
    if (where_ == Where::examples) {
      table = &scenarios_here().back().examples.back().table;
    } else if (Step* s = current_step(); s != nullptr && !s->doc_string) {
      table = &s->data_table;
    }
    if (table == nullptr) {
      error(number, column, "a table row that belongs to no step and no Examples");
      return;
    }
    auto cells = table_cells(trimmed);
    if (!cells) {
      error(number, column, "a table row must end with '|'");
      return;
    }
    if (!table->empty() && table->front().cells.size() != cells->size()) {
      error(number, column,
            fmt::format("a row of {} cells in a table of {} columns", cells->size(), table->front().cells.size()));
      return;
    }
    table->push_back({std::move(*cells), number});
  }

  void open_doc_string(int number, int column, std::string_view trimmed) {
    const std::string delimiter(trimmed.substr(0, 3));
    Step* s = current_step();
    if (s == nullptr || s->doc_string || !s->data_table.empty()) {
      error(number, column, "a doc string that belongs to no step");
    }
    doc_string_ = DocString{.delimiter = delimiter, .media_type = std::string(text::trim(trimmed.substr(3))),
                            .content = {}, .line = number};
    doc_string_owner_ = (s != nullptr && !s->doc_string && s->data_table.empty());
    doc_string_indent_ = column - 1;
    doc_string_first_ = true;
  }

  void doc_string_line(int number, std::string_view raw) {
    (void)number;
    const std::string_view trimmed = text::trim(raw);
    if (trimmed == doc_string_->delimiter) {
      if (doc_string_owner_) current_step()->doc_string = std::move(*doc_string_);
      doc_string_.reset();
      description_open_ = false;
      return;
    }
    // Remove up to the fence's indentation, keep the rest.
    std::size_t strip = 0;
    while (strip < raw.size() && strip < static_cast<std::size_t>(doc_string_indent_) &&
           (raw[strip] == ' ' || raw[strip] == '\t'))
      ++strip;
    std::string content(raw.substr(strip));
    // An escaped fence inside the doc string.
    const std::string escaped = doc_string_->delimiter == "```" ? "\\`\\`\\`" : "\\\"\\\"\\\"";
    for (auto at = content.find(escaped); at != std::string::npos; at = content.find(escaped, at + 3))
      content.replace(at, escaped.size(), doc_string_->delimiter);
    if (!doc_string_first_) doc_string_->content.push_back('\n');
    doc_string_->content += content;
    doc_string_first_ = false;
  }

  void description(int number, int column, std::string_view trimmed) {
    if (!doc_.feature) {
      error(number, column, fmt::format("expected 'Feature:', found '{}'", trimmed.substr(0, 40)));
      return;
    }
    if (!description_open_) {
      error(number, column,
            fmt::format("unexpected text '{}': expected a step (Given/When/Then/And/But/*), a keyword, a tag, a table "
                        "or a comment",
                        trimmed.substr(0, 40)));
      return;
    }
    std::string* target = nullptr;
    switch (where_) {
      case Where::feature: target = &doc_.feature->description; break;
      case Where::rule: target = &doc_.feature->rules.back().description; break;
      case Where::scenario: target = &scenarios_here().back().description; break;
      default: break;  // Background and Examples descriptions are accepted and not kept
    }
    if (target != nullptr) {
      if (!target->empty()) target->push_back('\n');
      *target += trimmed;
    }
  }

  void finish(int last_line) {
    if (doc_string_) error(doc_string_->line, 1, fmt::format("the doc string opened here is never closed ({})",
                                                             doc_string_->delimiter));
    dangling_tags(last_line, 1);
    if (!doc_.feature && doc_.errors.empty()) error(1, 1, "the file has no 'Feature:'");
    if (!doc_.feature) return;
    for (const Scenario* s : all_scenarios(*doc_.feature)) {
      if (s->outline && s->examples.empty())
        error(s->line, s->column, fmt::format("'{}' has no Examples", s->keyword));
      for (const Examples& e : s->examples)
        if (e.table.empty()) error(e.line, 1, "'Examples:' without a table");
    }
  }

  void dangling_tags(int number, int column) {
    if (pending_tags_.empty()) return;
    error(pending_tags_.front().line, pending_tags_.front().column,
          "tags must precede a Feature, Rule, Scenario or Examples");
    (void)number;
    (void)column;
    pending_tags_.clear();
  }

  std::vector<Tag> take_tags() { return std::exchange(pending_tags_, {}); }
  bool in_rule() const { return !doc_.feature->rules.empty(); }
  std::vector<Scenario>& scenarios_here() {
    return in_rule() ? doc_.feature->rules.back().scenarios : doc_.feature->scenarios;
  }

  Document doc_;
  std::map<std::string, Repeats, std::less<>> repeats_;  // by message
  std::size_t unreported_ = 0;
  Where where_ = Where::start;
  std::vector<Tag> pending_tags_;
  bool description_open_ = false;
  bool last_step_ = false;
  std::optional<DocString> doc_string_;
  bool doc_string_owner_ = false;
  int doc_string_indent_ = 0;
  bool doc_string_first_ = true;
};

}  // namespace

Document parse(std::string_view text) { return Parser().run(text); }

std::vector<StepKind> effective_kinds(const std::vector<Step>& steps) {
  std::vector<StepKind> out;
  StepKind previous = StepKind::conjunction;
  for (const Step& s : steps) {
    if (s.kind != StepKind::conjunction) previous = s.kind;
    out.push_back(previous);
  }
  return out;
}

bool has_outcome(const Scenario& scenario) {
  for (StepKind kind : effective_kinds(scenario.steps))
    if (kind == StepKind::then) return true;
  return false;
}

std::vector<const Scenario*> all_scenarios(const Feature& feature) {
  std::vector<const Scenario*> out;
  for (const auto& s : feature.scenarios) out.push_back(&s);
  for (const auto& r : feature.rules)
    for (const auto& s : r.scenarios) out.push_back(&s);
  std::sort(out.begin(), out.end(), [](const Scenario* a, const Scenario* b) { return a->line < b->line; });
  return out;
}

}  // namespace constable::gherkin
