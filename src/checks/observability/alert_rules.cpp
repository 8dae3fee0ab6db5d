#include "checks/observability/alert_rules.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "core/text.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::observability {

namespace {

bool is_alerting_rule(const yaml::Node& node) {
  if (!node.is_mapping()) return false;
  const yaml::Node* alert = node.get("alert");
  const yaml::Node* expr = node.get("expr");
  return alert != nullptr && alert->is_scalar() && !alert->is_null() && expr != nullptr;
}

// A mapping a values file switches off (`prometheusRule: {enabled: false, rules: [...]}`):
// nothing under it is deployed.
bool switched_off(const yaml::Node& mapping) {
  const yaml::Node* enabled = mapping.get("enabled");
  return enabled != nullptr && enabled->as_bool() == false;
}

// A test suite (helm-unittest's `suite:` + `tests:`, promtool's `rule_files:` +
// `tests:`): the rules it holds are test input, not rules anyone deploys.
bool is_test_suite(const yaml::Node& root) {
  return root.is_mapping() && root.get("tests") != nullptr &&
         (root.get("suite") != nullptr || root.get("rule_files") != nullptr);
}

struct Collector {
  std::string path;
  std::vector<AlertRule>& rules;
  std::set<const yaml::Node*> seen{};  // an aliased node is read once, where it is written

  void node(const yaml::Node& n, const yaml::Node* group_labels = nullptr) {
    if (!seen.insert(&n).second) return;
    if (n.is_mapping()) {
      if (switched_off(n)) return;
      if (is_alerting_rule(n)) {
        add(n, group_labels);
        return;
      }
      for (const yaml::Entry& entry : n.entries) {
        if (entry.value == nullptr) continue;
        if (entry.value->is_sequence()) sequence(*entry.value, &n);
        // Some charts key their rules by name (`rules: {diskErrors: {alert: ..., expr: ...}}`).
        else node(*entry.value, entry.key->str() == "rules" ? labels_of_group(n) : nullptr);
      }
    } else if (n.is_sequence()) {
      sequence(n, nullptr);
    }
  }

  // The labels a rule group gives all its rules (Prometheus 3 `labels:` beside `rules:`).
  static const yaml::Node* labels_of_group(const yaml::Node& group) {
    const yaml::Node* labels = group.get("labels");
    return labels != nullptr && labels->is_mapping() ? labels : nullptr;
  }

  // `holder` is the mapping the sequence is a value of: the rule group when
  // the sequence is its `rules`.
  void sequence(const yaml::Node& seq, const yaml::Node* holder) {
    if (!seen.insert(&seq).second) return;
    const yaml::Node* group_labels =
        holder != nullptr && holder->get("rules") == &seq ? labels_of_group(*holder) : nullptr;
    for (const yaml::Node* item : seq.items)
      if (item != nullptr) node(*item, group_labels);
  }

  void add(const yaml::Node& item, const yaml::Node* group_labels) {
    AlertRule rule{.path = path, .name = std::string(item.get("alert")->str())};
    rule.alert_key = item.find("alert")->key;
    rule.expr = item.get("expr");
    if (const yaml::Node* labels = item.get("labels"); labels != nullptr && labels->is_mapping()) rule.labels = labels;
    rule.group_labels = group_labels;
    if (const yaml::Node* annotations = item.get("annotations"); annotations != nullptr && annotations->is_mapping())
      rule.annotations = annotations;
    rules.push_back(std::move(rule));
  }
};

// Skips a quoted PromQL string starting at `i` (its quote); returns the index after it.
std::size_t skip_string(std::string_view s, std::size_t i) {
  const char quote = s[i];
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\' && quote != '`') {
      ++i;
      continue;
    }
    if (s[i] == quote) return i + 1;
  }
  return s.size();
}

// `s` without parentheses that enclose all of it.
std::string_view strip_outer_parentheses(std::string_view s) {
  for (;;) {
    s = text::trim(s);
    if (s.size() < 2 || s.front() != '(' || s.back() != ')') return s;
    int depth = 0;
    bool encloses = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"' || c == '\'' || c == '`') {
        i = skip_string(s, i) - 1;
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0 && i + 1 < s.size()) {
        encloses = false;
        break;
      }
    }
    if (!encloses) return s;
    s = s.substr(1, s.size() - 2);
  }
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':'; }

std::optional<double> number_literal(std::string_view s) {
  s = text::trim(s);
  if (s.empty()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

const yaml::Node* AlertRule::label(std::string_view key) const {
  if (labels != nullptr)
    if (const yaml::Node* value = labels->get(key)) return value;
  return group_labels != nullptr ? group_labels->get(key) : nullptr;
}

bool may_hold_expr_key(std::string_view content) {
  constexpr std::string_view kKey = "expr";
  for (std::size_t at = text::find(content, kKey); at != std::string_view::npos;
       at = text::find(content, kKey, at + 1)) {
    const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
    if (at > 0 && is_word(content[at - 1])) continue;
    std::size_t next = at + kKey.size();
    while (next < content.size() && (content[next] == '"' || content[next] == '\\' || content[next] == '\'')) ++next;
    while (next < content.size() && (content[next] == ' ' || content[next] == '\t')) ++next;
    if (next < content.size() && content[next] == ':') return true;
  }
  return false;
}

namespace {

std::vector<AlertRule> read_alert_rules(const engine::RepositoryContext& repository) {
  std::vector<AlertRule> rules;
  for (const workspace::File& file : repository.workspace().files) {
    if (file.kind != FileKind::yaml) continue;
    // Most YAML files hold no rule: look at the text before parsing.
    const std::string* content = repository.text(file);
    if (content == nullptr || !text::contains(*content, "alert") || !may_hold_expr_key(*content))
      continue;
    const yaml::Stream* stream = repository.yaml(file);
    if (stream == nullptr) continue;
    Collector collector{file.path, rules};
    for (const yaml::Document& document : stream->documents)
      if (document.root != nullptr && !is_test_suite(*document.root)) collector.node(*document.root);
  }
  return rules;
}

}  // namespace

const std::vector<AlertRule>& collect_alert_rules(const engine::RepositoryContext& repository) {
  return engine::derived<std::vector<AlertRule>>(repository, "observability/alert-rules",
                                                 [&] { return read_alert_rules(repository); });
}

void report(engine::Emitter& out, const AlertRule& rule, const yaml::Node* at, std::string message,
            const constitution::Clause* clause) {
  const yaml::Node& node = at != nullptr ? *at : *rule.alert_key;
  out.emit({.range = {node.start.line, node.start.column, node.end.line, node.end.column},
            .message = std::move(message),
            .path_override = rule.path,
            .anchor = "alert " + rule.name,
            .clause = clause});
}

bool is_templated(std::string_view value) {
  return value.find("{{") != std::string_view::npos || value.find("${") != std::string_view::npos;
}

std::optional<Comparison> upper_threshold(std::string_view expr) {
  const std::string_view s = strip_outer_parentheses(expr);
  int depth = 0;
  std::optional<std::size_t> op_at;
  std::size_t op_length = 0;
  bool op_is_upper = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = skip_string(s, i) - 1;
      continue;
    }
    if (c == '#') return std::nullopt;  // a comment: the expression is not one line of logic
    if (c == '(' || c == '{' || c == '[') ++depth;
    if (c == ')' || c == '}' || c == ']') --depth;
    if (depth != 0) continue;
    if (std::isalpha(static_cast<unsigned char>(c)) != 0 && (i == 0 || !is_word_char(s[i - 1]))) {
      std::size_t end = i;
      while (end < s.size() && is_word_char(s[end])) ++end;
      const std::string_view word = s.substr(i, end - i);
      if (word == "and" || word == "or" || word == "unless") return std::nullopt;
      i = end - 1;
      continue;
    }
    const bool two = i + 1 < s.size() && s[i + 1] == '=';
    const bool comparison = c == '>' || c == '<' || (c == '=' && two) || (c == '!' && two);
    if (!comparison) continue;
    if (op_at) return std::nullopt;  // more than one comparison
    op_at = i;
    op_length = two ? 2 : 1;
    op_is_upper = c == '>';
    i += op_length - 1;
  }
  if (!op_at || !op_is_upper) return std::nullopt;
  const auto threshold = number_literal(s.substr(*op_at + op_length));  // `bool`, `on(...)`: not a number
  if (!threshold) return std::nullopt;
  const std::string_view left = text::trim(s.substr(0, *op_at));
  if (left.empty()) return std::nullopt;
  return Comparison{std::string(left), *threshold};
}

}  // namespace constable::checks::observability
