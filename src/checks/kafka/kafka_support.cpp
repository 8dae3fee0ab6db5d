#include "checks/kafka/kafka_support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <set>
#include <vector>

#include "checks/dapr/dapr_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::kafka {

namespace {

// A word of a command line with where it was written.
struct Token {
  std::string text;
  Place place;
  bool separator = false;  // ends a simple command: a newline, `&&`, `;`, `|`, ...
};

// Maps an offset of the text being tokenized to its place.
using PlaceOf = std::function<Place(std::size_t offset, std::size_t length)>;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Whether a name, number or setting is a variable or template placeholder
// rather than a literal: `$TOPIC`, `${TOPIC}`, `{{ .Values.topic }}`,
// `<topic-name>`, `%TOPIC%`. In documentation an upper-case word
// (`TOPIC_NAME`) is one too.
bool is_placeholder(std::string_view value, bool documentation) {
  if (value.empty()) return true;
  if (value.find_first_of("${}<>%`*") != std::string_view::npos) return true;
  if (value.find("...") != std::string_view::npos || value.find("\u2026") != std::string_view::npos) return true;
  if (documentation) {
    const bool has_upper = std::any_of(value.begin(), value.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    const bool has_lower = std::any_of(value.begin(), value.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (has_upper && !has_lower) return true;
  }
  return false;
}

// Splits `text` into words, as a shell would read a command line closely
// enough to find topic-creating commands: quotes and brackets around words
// (`sh -c '...'`, YAML flow lists) are dropped, a line ending in `\`
// continues, a word starting with `#` starts a comment, and newlines and
// control operators end a command.
void tokenize(std::string_view text, const PlaceOf& place_of, std::vector<Token>& out) {
  std::size_t i = 0;
  bool skip_next = false;  // the target of a redirection written apart (`> file`)
  auto separator = [&out, &skip_next] {
    skip_next = false;
    if (out.empty() || !out.back().separator) out.push_back({"", {}, true});
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      separator();
      ++i;
      continue;
    }
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == '\\' && (i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r')) {
      // A continuation: the command goes on on the next line.
      i = text.find('\n', i);
      if (i == std::string_view::npos) break;
      ++i;
      continue;
    }
    if (c == '#') {  // a comment: at the start of a line, or after a space
      const std::size_t end = text.find('\n', i);
      i = end == std::string_view::npos ? text.size() : end;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !is_space(text[end]) && text[end] != '\n') ++end;
    std::string_view word = text.substr(i, end - i);
    std::size_t start = i;
    i = end;
    while (!word.empty() && std::string_view("\"'([@").find(word.front()) != std::string_view::npos) {
      word.remove_prefix(1);
      ++start;
    }
    bool ends_command = false;
    while (!word.empty() && std::string_view("\"',;)]").find(word.back()) != std::string_view::npos) {
      ends_command = ends_command || word.back() == ';';
      word.remove_suffix(1);
    }
    if (word == "&&" || word == "||" || word == "|" || word == "&" || word == "then" || word == "do" ||
        word == "else" || word == "\\") {
      separator();
      continue;
    }
    // A redirection (`2>/dev/null`, `>> log`, `2>&1`) is no argument; one without its target takes the next word.
    const bool placeholder = word.size() > 2 && word.front() == '<' && word.back() == '>';  // `<topic-name>`
    if (const auto redirect = word.find_first_of("<>"); !placeholder && redirect != std::string_view::npos &&
                                                        word.substr(0, redirect).find_first_not_of("0123456789&") ==
                                                            std::string_view::npos) {
      skip_next = word.back() == '<' || word.back() == '>';
      if (ends_command) separator();
      continue;
    }
    if (skip_next) {
      skip_next = false;
      if (ends_command) separator();
      continue;
    }
    if (!word.empty()) out.push_back({std::string(word), place_of(start, word.size()), false});
    if (ends_command) separator();
  }
  separator();
}

std::string_view command_name(std::string_view word) {
  const auto slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

// A flag's value, `--flag value` or `--flag=value`: the token holding it,
// its text, and how many tokens the flag took.
struct FlagValue {
  std::string value;
  Place place;
  std::size_t consumed = 1;
};

std::optional<FlagValue> flag_value(const std::vector<Token>& tokens, std::size_t at, std::size_t end,
                                    std::string_view flag) {
  const std::string& word = tokens[at].text;
  if (word == flag) {
    if (at + 1 >= end) return FlagValue{"", tokens[at].place, 1};
    return FlagValue{tokens[at + 1].text, tokens[at + 1].place, 2};
  }
  if (word.size() > flag.size() && word.starts_with(flag) && word[flag.size()] == '=') {
    Place place = tokens[at].place;
    if (place.node == nullptr && place.column > 0) place.column += static_cast<int>(flag.size() + 1);
    return FlagValue{word.substr(flag.size() + 1), place, 1};
  }
  return std::nullopt;
}

std::optional<FlagValue> any_flag(const std::vector<Token>& tokens, std::size_t at, std::size_t end,
                                  std::initializer_list<std::string_view> flags) {
  for (const auto flag : flags)
    if (auto v = flag_value(tokens, at, end, flag)) return v;
  return std::nullopt;
}

void add_setting(TopicDeclaration& topic, const FlagValue& setting, bool documentation) {
  // confluent's --config takes a comma-separated list; the others one setting each.
  for (std::string_view item : text::split(setting.value, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || is_placeholder(item.substr(0, eq), documentation)) {
      topic.config_unknown = true;
      continue;
    }
    const std::string key(text::trim(item.substr(0, eq)));
    topic.config[key] = std::string(item.substr(eq + 1));
    topic.config_places[key] = setting.place;
  }
}

void set_partitions(TopicDeclaration& topic, const FlagValue& value) {
  topic.partitions_given = true;
  topic.partitions_place = value.place;
  const std::string& v = value.value;
  if (!v.empty() && v.size() < 10 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    topic.partitions = std::stoll(v);
  // Anything else (`$PARTITIONS`, `-1` for the broker's default) is not judged as a number.
  if (v == "-1") topic.partitions_given = false;
}

// `kafka-topics[.sh] ... --create ... --topic NAME [--partitions N] [--config k=v]...`
void parse_kafka_topics(const std::vector<Token>& tokens, std::size_t begin, std::size_t end, bool documentation,
                        TopicDeclaration topic, std::vector<TopicDeclaration>& out) {
  bool create = false;
  std::optional<FlagValue> name;
  for (std::size_t i = begin; i < end;) {
    const std::string& word = tokens[i].text;
    if (word == "--help" || word == "-h") return;
    if (word == "--create") {
      create = true;
      ++i;
      continue;
    }
    if (auto v = flag_value(tokens, i, end, "--topic")) {
      name = v;
      i += v->consumed;
      continue;
    }
    if (auto v = flag_value(tokens, i, end, "--partitions")) {
      set_partitions(topic, *v);
      i += v->consumed;
      continue;
    }
    if (auto v = flag_value(tokens, i, end, "--replica-assignment")) {
      // One comma-separated group of brokers per partition.
      topic.partitions_given = true;
      topic.partitions_place = v->place;
      if (!is_placeholder(v->value, documentation))
        topic.partitions = static_cast<long long>(text::split(v->value, ',').size());
      i += v->consumed;
      continue;
    }
    if (auto v = flag_value(tokens, i, end, "--config")) {
      add_setting(topic, *v, documentation);
      i += v->consumed;
      continue;
    }
    if (word.starts_with("--")) {
      // Another option (--bootstrap-server, --replication-factor): its value is no argument of ours.
      i += word.find('=') == std::string::npos && i + 1 < end && !tokens[i + 1].text.starts_with("-") ? 2 : 1;
      continue;
    }
    if (is_placeholder(word, documentation)) {
      // Arguments from a variable (`$EXTRA_ARGS`, `"$@"`) may set partitions and configuration.
      topic.partitions_given = true;
      topic.partitions.reset();
      topic.config_unknown = true;
    }
    ++i;
  }
  if (!create || !name || name->value.empty()) return;
  topic.name = name->value;
  topic.name_place = name->place;
  out.push_back(std::move(topic));
}

// `rpk topic create NAME... [-p N] [-c k=v]...`: flags rpk documents; an
// unknown one leaves the command unjudged (its value could be taken for a topic).
void parse_rpk(const std::vector<Token>& tokens, std::size_t begin, std::size_t end, bool documentation,
               TopicDeclaration topic, std::vector<TopicDeclaration>& out) {
  static const std::set<std::string_view> kValued = {
      "-r",    "--replicas", "-X",         "--brokers",        "--config",   "--profile", "--user",
      "--password", "--sasl-mechanism", "--tls-key", "--tls-cert", "--tls-truststore", "--api-urls"};
  static const std::set<std::string_view> kBoolean = {"-d", "--dry-run", "--if-not-exists", "-v", "--verbose",
                                                      "--tls-enabled"};
  std::vector<const Token*> names;
  for (std::size_t i = begin; i < end;) {
    const std::string& word = tokens[i].text;
    if (word == "-h" || word == "--help") return;
    if (auto v = any_flag(tokens, i, end, {"-p", "--partitions"})) {
      set_partitions(topic, *v);
      i += v->consumed;
      continue;
    }
    if (auto v = any_flag(tokens, i, end, {"-c", "--topic-config"})) {
      add_setting(topic, *v, documentation);
      i += v->consumed;
      continue;
    }
    // Short options with their value glued on: `-p6`, `-r1`, `-ccleanup.policy=compact`.
    const bool glued = word.size() > 2 && word[0] == '-' && (word[1] == 'p' || word[1] == 'r' || word[1] == 'c');
    if (glued) {
      Place place = tokens[i].place;
      if (place.node == nullptr && place.column > 0) place.column += 2;
      const FlagValue value{word.substr(2), place, 1};
      if (word[1] == 'p') set_partitions(topic, value);
      if (word[1] == 'c') add_setting(topic, value, documentation);
      ++i;
      continue;
    }
    if (word.starts_with("-")) {
      const std::string_view flag = std::string_view(word).substr(0, word.find('='));
      if (kBoolean.contains(flag)) {
        ++i;
      } else if (kValued.contains(flag)) {
        i += word.find('=') == std::string::npos ? 2 : 1;
      } else {
        return;
      }
      continue;
    }
    names.push_back(&tokens[i]);
    ++i;
  }
  for (const Token* name : names) {
    TopicDeclaration each = topic;
    each.name = name->text;
    each.name_place = name->place;
    out.push_back(std::move(each));
  }
}

// `confluent kafka topic create NAME [--partitions N] [--config k=v,k=v]`.
void parse_confluent(const std::vector<Token>& tokens, std::size_t begin, std::size_t end, bool documentation,
                     TopicDeclaration topic, std::vector<TopicDeclaration>& out) {
  static const std::set<std::string_view> kValued = {"--cluster", "--environment", "--context", "--url",
                                                     "--api-key", "--api-secret"};
  static const std::set<std::string_view> kBoolean = {"--if-not-exists", "--dry-run", "--unsafe-trace"};
  const Token* name = nullptr;
  for (std::size_t i = begin; i < end;) {
    const std::string& word = tokens[i].text;
    if (word == "-h" || word == "--help") return;
    if (auto v = flag_value(tokens, i, end, "--partitions")) {
      set_partitions(topic, *v);
      i += v->consumed;
      continue;
    }
    if (auto v = flag_value(tokens, i, end, "--config")) {
      add_setting(topic, *v, documentation);
      i += v->consumed;
      continue;
    }
    if (word.starts_with("-")) {
      const std::string_view flag = std::string_view(word).substr(0, word.find('='));
      if (kBoolean.contains(flag)) {
        ++i;
      } else if (kValued.contains(flag)) {
        i += word.find('=') == std::string::npos ? 2 : 1;
      } else {
        return;
      }
      continue;
    }
    if (name != nullptr) return;  // one topic per command; more words: not the syntax we know
    name = &tokens[i];
    ++i;
  }
  if (name == nullptr) return;
  topic.name = name->text;
  topic.name_place = name->place;
  out.push_back(std::move(topic));
}

// Every topic-creating command among `tokens`.
void parse_commands(const std::vector<Token>& tokens, bool documentation, const std::string& path,
                    std::vector<TopicDeclaration>& out) {
  auto command_end = [&](std::size_t from) {
    while (from < tokens.size() && !tokens[from].separator) ++from;
    return from;
  };
  auto word = [&](std::size_t i) -> std::string_view {
    return i < tokens.size() && !tokens[i].separator ? std::string_view(tokens[i].text) : std::string_view();
  };
  // A command line a script prints or logs (`echo "kafka-topics --create ..."`) is not run, and one it
  // runs as a condition (`if ! rpk topic create denied-topic`) probes the cluster (an ACL test) rather
  // than declares a topic.
  auto printed = [&](std::size_t i) {
    static const std::set<std::string_view> kPrinters = {"echo", "printf", "print", "puts",  "log",  "logger",
                                                         "info", "warn",   "warning", "error", "debug", "msg",
                                                         "title", "say",   "cat",     "grep",  "alias", "if",
                                                         "elif", "while",  "until",   "!"};
    while (i > 0 && !tokens[i - 1].separator) {
      --i;
      if (kPrinters.contains(command_name(tokens[i].text))) return true;
    }
    return false;
  };
  // Variables the script assigns literals (`TOPIC=orders.order.created`, `for
  // TOPIC in a b c`), the latest assignment before a use winning as it does
  // when the script runs straight through: `--topic $TOPIC` then names those topics.
  std::map<std::string, std::vector<std::string>, std::less<>> variables;
  auto literal = [](std::string value) {
    while (!value.empty() && (value.front() == '"' || value.front() == '\'')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '"' || value.back() == '\'')) value.pop_back();
    return value;
  };
  auto is_identifier = [](std::string_view v) {
    return !v.empty() && !(v.front() >= '0' && v.front() <= '9') && std::all_of(v.begin(), v.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
  };
  auto assign = [&](std::string_view variable, std::vector<std::string> values) {
    const bool known = !values.empty() && std::none_of(values.begin(), values.end(), [](const std::string& v) {
      return v.empty() || is_placeholder(v, false);
    });
    if (known) variables[std::string(variable)] = std::move(values);
    else variables.erase(std::string(variable));  // no longer a literal we know
  };
  auto record_assignment = [&](const std::string& w) {
    const auto eq = w.find('=');
    if (eq == std::string::npos || !is_identifier(std::string_view(w).substr(0, eq))) return false;
    assign(std::string_view(w).substr(0, eq), {literal(w.substr(eq + 1))});
    return true;
  };
  // The topics one declaration stands for: itself, or one per value of the variable naming it.
  auto resolve = [&](std::size_t first) {
    std::vector<TopicDeclaration> expanded;
    for (std::size_t k = first; k < out.size(); ++k) {
      std::string_view ref = out[k].name;
      if (ref.starts_with('$')) ref.remove_prefix(1);
      if (ref.starts_with('{') && ref.ends_with('}')) ref = ref.substr(1, ref.size() - 2);
      const auto it = out[k].name.starts_with('$') ? variables.find(ref) : variables.end();
      if (it == variables.end()) {
        expanded.push_back(std::move(out[k]));
        continue;
      }
      for (const std::string& value : it->second) {
        TopicDeclaration each = out[k];
        each.name = value;
        expanded.push_back(std::move(each));
      }
    }
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    for (auto& topic : expanded) out.push_back(std::move(topic));
  };
  const std::size_t before = out.size();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].separator) continue;
    if (i == 0 || tokens[i - 1].separator) {
      // A loop takes its variable through the words after `in`; `read` gives values nobody can read here.
      if ((word(i) == "for" || word(i) == "select") && i + 1 < tokens.size()) {
        std::vector<std::string> values;
        std::size_t k = i + 2;
        const bool in = word(k) == "in";
        for (k = k + 1; in && k < tokens.size() && !tokens[k].separator; ++k) values.push_back(literal(tokens[k].text));
        if (!in) values.clear();
        assign(tokens[i + 1].text, std::move(values));
      }
      if (word(i) == "read")
        for (std::size_t k = i + 1; k < tokens.size() && !tokens[k].separator; ++k) variables.erase(tokens[k].text);
      std::size_t at = i;
      if (word(at) == "export" || word(at) == "local" || word(at) == "readonly") ++at;
      if (at < tokens.size() && !tokens[at].separator && record_assignment(tokens[at].text)) {
        i = at;
        continue;
      }
    }
    const std::string_view name = command_name(tokens[i].text);
    TopicDeclaration topic;
    topic.path = path;
    topic.declaration = tokens[i].place;
    const std::size_t end = command_end(i);
    if (printed(i)) continue;
    const std::size_t first = out.size();
    if (name == "kafka-topics" || name == "kafka-topics.sh" || name == "kafka-topics.bat") {
      topic.tool = "kafka-topics";
      parse_kafka_topics(tokens, i + 1, end, documentation, std::move(topic), out);
    } else if (name == "rpk" && word(i + 1) == "topic" && word(i + 2) == "create") {
      topic.tool = "rpk";
      parse_rpk(tokens, i + 3, end, documentation, std::move(topic), out);
    } else if (name == "confluent" && word(i + 1) == "kafka" && word(i + 2) == "topic" && word(i + 3) == "create") {
      topic.tool = "confluent";
      parse_confluent(tokens, i + 4, end, documentation, std::move(topic), out);
    } else {
      continue;
    }
    resolve(first);
    i = end;  // the next command starts after the separator
  }
  for (std::size_t k = before; k < out.size(); ++k) out[k].name_known = !is_placeholder(out[k].name, documentation);
}

bool mentions_a_tool(std::string_view text) {
  return text::contains(text, "kafka-topics") || text::contains(text, "rpk") || text::contains(text, "confluent");
}

// A whole file that may create a topic: each command names one ("kafka-topics",
// "rpk topic", "confluent kafka topic"), which most files never do.
bool may_create_topics(std::string_view text) { return text::contains(text, "topic") && mentions_a_tool(text); }

// Places of a text file's offsets, by its line starts.
PlaceOf line_places(std::string_view text) {
  auto starts = std::make_shared<std::vector<std::size_t>>();
  starts->push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts->push_back(i + 1);
  return [starts](std::size_t offset, std::size_t length) {
    const auto it = std::upper_bound(starts->begin(), starts->end(), offset);
    const auto line = static_cast<int>(it - starts->begin());
    const auto column = static_cast<int>(offset - (*starts)[static_cast<std::size_t>(line - 1)]) + 1;
    return Place{nullptr, line, column, column + static_cast<int>(length)};
  };
}

// Places of a YAML scalar's value: the node itself for an object (findings
// follow it to a chart template); for a file, the column on a one-line
// scalar, the line in a literal block.
PlaceOf scalar_places(const yaml::Node* node, bool of_object) {
  if (of_object) return [node](std::size_t, std::size_t) { return Place{node}; };
  const bool one_line = node->start.line == node->end.line;
  const int quote = node->style == yaml::ScalarStyle::plain ? 0 : 1;
  const bool literal = node->style == yaml::ScalarStyle::literal;
  const std::string_view value = node->value;
  return [node, one_line, quote, literal, value](std::size_t offset, std::size_t length) {
    if (one_line)
      return Place{nullptr, node->start.line, node->start.column + quote + static_cast<int>(offset),
                   node->start.column + quote + static_cast<int>(offset + length)};
    if (literal) {
      const auto newlines = std::count(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
      return Place{nullptr, node->start.line + 1 + static_cast<int>(newlines), 0, 0};
    }
    return Place{nullptr, node->start.line, 0, 0};
  };
}

// Command lines held in YAML: a scalar (`sh -c '...'`, a CI step's `run:`),
// a list of words, or a container's `command` and `args` together.
void topics_in_yaml(const yaml::Node* node, bool of_object, const std::string& path,
                    std::vector<TopicDeclaration>& out, int depth = 0) {
  if (node == nullptr || depth > 64) return;
  auto tokens_of_items = [&](const yaml::Node* list, std::vector<Token>& tokens) {
    for (const yaml::Node* item : list->items)
      if (item->is_scalar()) {
        tokenize(item->value, scalar_places(item, of_object), tokens);
        if (!tokens.empty() && tokens.back().separator && item->value.find('\n') == std::string::npos)
          tokens.pop_back();  // the end of one list item is not the end of the command
      }
  };
  auto all_scalars = [](const yaml::Node* list) {
    return std::all_of(list->items.begin(), list->items.end(), [](const yaml::Node* n) { return n->is_scalar(); });
  };
  auto any_mentions = [](const yaml::Node* list) {
    return std::any_of(list->items.begin(), list->items.end(),
                       [](const yaml::Node* n) { return n->is_scalar() && mentions_a_tool(n->value); });
  };
  if (node->is_scalar()) {
    if (!mentions_a_tool(node->value)) return;
    std::vector<Token> tokens;
    tokenize(node->value, scalar_places(node, of_object), tokens);
    parse_commands(tokens, false, path, out);
    return;
  }
  if (node->is_sequence()) {
    if (all_scalars(node)) {
      if (!any_mentions(node)) return;
      std::vector<Token> tokens;
      tokens_of_items(node, tokens);
      tokens.push_back({"", {}, true});
      parse_commands(tokens, false, path, out);
      return;
    }
    for (const yaml::Node* item : node->items) topics_in_yaml(item, of_object, path, out, depth + 1);
    return;
  }
  // A container's command and args are one command line.
  const yaml::Node* command = node->get("command");
  const yaml::Node* args = node->get("args");
  const bool joined = command != nullptr && args != nullptr && command->is_sequence() && args->is_sequence() &&
                      all_scalars(command) && all_scalars(args);
  if (joined && (any_mentions(command) || any_mentions(args))) {
    std::vector<Token> tokens;
    tokens_of_items(command, tokens);
    tokens_of_items(args, tokens);
    tokens.push_back({"", {}, true});
    parse_commands(tokens, false, path, out);
  }
  for (const auto& entry : node->entries) {
    if (joined && (entry.value == command || entry.value == args)) continue;
    topics_in_yaml(entry.value, of_object, path, out, depth + 1);
  }
}

// Markdown with everything outside code blocks blanked, offsets kept: fenced
// blocks, and indented ones after a blank line that are not a list item's text.
std::string code_blocks_only(std::string_view text) {
  std::string out(text);
  bool fenced = false, indented = false, previous_blank = true, in_list = false;
  char fence = 0;
  auto is_list_item = [](std::string_view line) {
    if (line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ")) return true;
    const auto digits = line.find_first_not_of("0123456789");
    return digits != 0 && digits != std::string_view::npos && line.substr(digits).starts_with(". ");
  };
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const std::string_view raw = std::string_view(out).substr(start, end - start);
    const std::string_view line = text::trim(raw);
    const bool fence_line = line.starts_with("```") || line.starts_with("~~~");
    bool code = false;
    if (fence_line) {
      if (!fenced) {
        fenced = true;
        fence = line.front();
      } else if (line.front() == fence) {
        fenced = false;
      }
    } else if (fenced) {
      code = true;
    } else if (line.empty()) {
      code = indented;  // a blank line inside an indented block
    } else {
      const bool deep = raw.starts_with("    ") || raw.starts_with("\t");
      indented = deep && (indented || (previous_blank && !in_list));
      code = indented;
      if (!deep) in_list = is_list_item(line);
    }
    previous_blank = line.empty();
    if (!code) out.replace(start, end - start, end - start, ' ');
    start = end + 1;
  }
  return out;
}

std::optional<long long> literal_count(std::string_view v) {
  v = text::trim(v);
  while (!v.empty() && (v.front() == '"' || v.front() == '\'')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '"' || v.back() == '\'')) v.remove_suffix(1);
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoll(std::string(v));
}

// `num.partitions=3`, `KAFKA_NUM_PARTITIONS: 3`, `KAFKA_CFG_NUM_PARTITIONS=3`,
// Redpanda's `default_topic_partitions: 3`; whole keys only, so that
// `offsets.topic.num.partitions` (the offsets topic's own count) is not one.
void broker_defaults_in_text(std::string_view text, BrokerDefaults& brokers) {
  auto part_of_key = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  };
  for (const std::string_view key :
       {std::string_view("num.partitions"), std::string_view("KAFKA_NUM_PARTITIONS"),
        std::string_view("KAFKA_CFG_NUM_PARTITIONS"), std::string_view("default_topic_partitions")}) {
    for (std::size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + key.size())) {
      if (at > 0 && part_of_key(text[at - 1])) continue;
      std::size_t i = at + key.size();
      while (i < text.size() && (is_space(text[i]) || text[i] == '"' || text[i] == '\'')) ++i;
      if (i >= text.size() || (text[i] != '=' && text[i] != ':')) continue;
      ++i;
      std::size_t end = i;
      while (end < text.size() && text[end] != '\n' && text[end] != ',' && text[end] != '}') ++end;
      if (auto n = literal_count(text.substr(i, end - i))) brokers.num_partitions.push_back(*n);
    }
  }
}

bool is_strimzi(const kube::Object& object, std::string_view kind) {
  return object.kind == kind && object.api_version.starts_with("kafka.strimzi.io/");
}

TopicDeclaration from_kafka_topic(const kube::Object& object) {
  TopicDeclaration topic;
  topic.object = &object;
  topic.tool = "KafkaTopic";
  const yaml::Node* spec = object.root->get("spec");
  const yaml::Node* topic_name = spec != nullptr ? spec->get("topicName") : nullptr;
  if (topic_name != nullptr && topic_name->is_scalar() && !topic_name->is_null()) {
    topic.name = topic_name->value;
    topic.name_place = {topic_name};
  } else {
    topic.name = object.name;
    topic.name_place = {object.metadata != nullptr ? object.metadata->get("name") : nullptr};
  }
  topic.name_known = !topic.name.empty() && !is_placeholder(topic.name, false);
  if (spec == nullptr) return topic;
  if (const yaml::Node* partitions = spec->get("partitions"); partitions != nullptr && !partitions->is_null()) {
    topic.partitions_given = true;
    topic.partitions_place = {partitions};
    if (auto n = partitions->as_int()) topic.partitions = *n;
    else if (auto s = partitions->as_string()) topic.partitions = literal_count(*s);
  }
  const yaml::Node* config = spec->get("config");
  // Findings about the configuration point at its `config:` key (a mapping starts at its first entry).
  if (const yaml::Entry* entry = spec->find("config")) topic.config_place = {entry->key};
  if (config != nullptr && config->is_mapping()) {
    for (const auto& entry : config->entries) {
      if (!entry.key->is_scalar()) continue;
      std::string value;
      if (entry.value->is_sequence()) {
        for (const yaml::Node* item : entry.value->items) {
          if (!value.empty()) value += ',';
          value += item->str();
        }
      } else {
        value = std::string(entry.value->str());
      }
      topic.config[std::string(entry.key->value)] = value;
      topic.config_places[std::string(entry.key->value)] = {entry.value};
    }
  } else if (config != nullptr && !config->is_null()) {
    topic.config_unknown = true;
  }
  return topic;
}

bool text_candidate(const workspace::File& file) {
  const std::string name = text::to_lower(text::basename(file.path));
  if (file.kind == FileKind::markdown || file.kind == FileKind::dockerfile) return true;
  if (name == "makefile" || name == "gnumakefile" || name.ends_with(".mk")) return true;
  return file.kind == FileKind::source && (name.ends_with(".sh") || name.ends_with(".bash"));
}

bool broker_config_candidate(const workspace::File& file) {
  const std::string name = text::to_lower(text::basename(file.path));
  return name.ends_with(".properties") || name == ".env" || name.ends_with(".env");
}

}  // namespace

std::string TopicDeclaration::describe() const {
  if (tool == "KafkaTopic") return object != nullptr ? object->display_name() : "KafkaTopic " + name;
  if (tool == "rpk") return fmt::format("rpk topic create {}", name);
  if (tool == "confluent") return fmt::format("confluent kafka topic create {}", name);
  return fmt::format("kafka-topics --create --topic {}", name);
}

bool TopicDeclaration::internal() const {
  return name.starts_with('_') || name.starts_with("strimzi-") || name.starts_with("strimzi.");
}

bool TopicDeclaration::compacted() const {
  const auto policy = config.find("cleanup.policy");
  return policy != config.end() && text::icontains(policy->second, "compact");
}

void report(engine::Emitter& out, const TopicDeclaration& topic, const Place& place, std::string message) {
  const Place& at = place.known() ? place : topic.declaration;
  if (topic.object != nullptr) {
    engine::Emission e = kubernetes::emission_at(*topic.object, at.node, std::move(message));
    out.emit(std::move(e));
    return;
  }
  engine::Emission e;
  e.range = {at.line, at.column, at.line, at.end_column};
  e.message = std::move(message);
  e.path_override = topic.path;
  // The command and what the message says of it, not the line: edits above keep the finding.
  e.anchor = fmt::format("{} {}\n{}", topic.tool, topic.name, e.message);
  out.emit(std::move(e));
}

std::vector<TopicDeclaration> topics_in_text(std::string_view path, std::string_view text, bool markdown) {
  std::vector<TopicDeclaration> out;
  if (!may_create_topics(text)) return out;
  const std::string blanked = markdown ? code_blocks_only(text) : std::string();
  const std::string_view scanned = markdown ? std::string_view(blanked) : text;
  std::vector<Token> tokens;
  tokenize(scanned, line_places(scanned), tokens);
  parse_commands(tokens, markdown, std::string(path), out);
  return out;
}

namespace {

TopicInventory read_topics(const engine::ManifestContext& context) {
  TopicInventory inventory;
  std::set<std::string_view> manifest_paths;
  for (const auto& object : context.manifests().objects()) {
    manifest_paths.insert(object.source->path);
    if (is_strimzi(object, "KafkaTopic")) {
      inventory.topics.push_back(from_kafka_topic(object));
      continue;
    }
    if (is_strimzi(object, "Kafka")) {
      if (const yaml::Node* config = object.root->at("spec", "kafka", "config"))
        if (const yaml::Node* n = config->get("num.partitions")) {
          if (auto v = n->as_int()) inventory.brokers.num_partitions.push_back(*v);
        }
      continue;
    }
    // Jobs and other workloads running topic-creating commands, and
    // ConfigMaps holding such scripts. A CRD's schema runs nothing, and is
    // the bulk of an operator chart's YAML.
    if (object.kind == "CustomResourceDefinition") continue;
    const std::size_t before = inventory.topics.size();
    topics_in_yaml(object.root, true, object.source->path, inventory.topics);
    for (std::size_t i = before; i < inventory.topics.size(); ++i) inventory.topics[i].object = &object;
  }
  // The files, read on the run's threads (the file phase let their texts go);
  // what each holds is merged in path order.
  struct Candidate {
    const workspace::File* file;
    bool yaml_file, text_file, broker_file;
  };
  std::vector<Candidate> candidates;
  for (const auto& file : context.workspace().files) {
    const bool yaml_file = file.kind == FileKind::yaml && !manifest_paths.contains(file.path);
    const bool text_file = text_candidate(file);
    const bool broker_file = broker_config_candidate(file);
    if (yaml_file || text_file || broker_file) candidates.push_back({&file, yaml_file, text_file, broker_file});
  }
  std::vector<TopicInventory> found(candidates.size());
  context.for_each_in_parallel(candidates.size(), [&](std::size_t i) {
    const auto& [file, yaml_file, text_file, broker_file] = candidates[i];
    auto content = workspace::read_content(*file);
    if (!content || text::looks_binary(*content)) return;
    const std::string_view body = text::strip_bom(*content);
    if (broker_file || yaml_file || file->kind == FileKind::dockerfile) broker_defaults_in_text(body, found[i].brokers);
    if (text_file) {
      found[i].topics = topics_in_text(file->path, body, file->kind == FileKind::markdown);
    } else if (yaml_file && may_create_topics(body)) {
      // Compose files, CI pipelines and other YAML that is not a Kubernetes object.
      const yaml::Stream stream = yaml::parse(body);
      for (const auto& document : stream.documents) topics_in_yaml(document.root, false, file->path, found[i].topics);
    }
  });
  for (auto& each : found) {
    std::move(each.topics.begin(), each.topics.end(), std::back_inserter(inventory.topics));
    const auto& partitions = each.brokers.num_partitions;
    inventory.brokers.num_partitions.insert(inventory.brokers.num_partitions.end(), partitions.begin(),
                                            partitions.end());
  }
  return inventory;
}

}  // namespace

const TopicInventory& collect_topics(const engine::ManifestContext& context) {
  return engine::derived<TopicInventory>(context, "kafka/topics", [&] { return read_topics(context); });
}

std::vector<DaprKafkaSubscription> dapr_kafka_subscriptions(const kube::ManifestSet& set) {
  std::vector<DaprKafkaSubscription> out;
  const dapr::DaprResources dapr_objects = dapr::dapr_resources(set);
  for (const kube::Object* subscription : set.of_kind("Subscription")) {
    if (!subscription->api_version.starts_with("dapr.io/")) continue;
    const yaml::Node* spec = subscription->root->get("spec");
    const yaml::Node* pubsub = spec != nullptr ? spec->get("pubsubname") : nullptr;
    if (pubsub == nullptr || !pubsub->is_scalar() || dapr::is_deferred(pubsub->str())) continue;
    for (const kube::Object* component : dapr_objects.components) {
      if (component->name != pubsub->str() || text::to_lower(dapr::component_type(*component)) != "pubsub.kafka")
        continue;
      const std::string_view a = component->declared_namespace();
      const std::string_view b = subscription->declared_namespace();
      if (!a.empty() && !b.empty() && a != b) continue;
      out.push_back({subscription, component, spec, pubsub});
      break;
    }
  }
  return out;
}

}  // namespace constable::checks::kafka
