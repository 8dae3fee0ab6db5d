// kafka/topic-naming: "Topic naming: {domain}.{entity}.{event-type} (e.g., orders.order.created)".

#include <fmt/format.h>

#include <algorithm>

#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kafka {

namespace {
namespace topic_naming_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/topic-naming",
    .domain = "kafka",
    .nature = Nature::maintainability,
    .summary = "Name Kafka topics after the constitution's pattern",
    .rationale =
        "One naming scheme tells, from a topic's name alone, which domain owns it, which entity it carries "
        "and what happened; ACLs, quotas and dashboards can then be written per domain with prefixes.",
    .remediation =
        "Rename the topic to the constitution's pattern: as many parts as its placeholders, separated as "
        "they are, each in lower-case letters and digits with '-' or '_' between words.",
    .bad_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: OrderCreated\n",
    .good_example =
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders.order.created\n"
        "spec:\n  partitions: 3\n  config:\n    retention.ms: 604800000\n",
    .parameters =
        "the pattern of placeholders in the clause and its example, e.g. \"{domain}.{entity}.{event-type} "
        "(e.g., orders.order.created)\"",
    .clause = {.section = "kafka", .text = "topic nam"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Kafka topic declarations are judged, wherever they are
    .scope = engine::Scope::manifests,
};

bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

class TopicNamingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const std::string_view text = clause.text;
    // Placeholders in braces, "{domain}.{entity}", or angle brackets, "<domain>.<entity>".
    const auto open = text.find_first_of("{<");
    if (open == std::string_view::npos)
      return fail("the clause gives no topic name pattern of placeholders, e.g. \"{domain}.{entity}.{event-type}\"");
    const char opening = text[open];
    const char closing = opening == '{' ? '}' : '>';
    std::size_t i = open;
    std::string separators;
    std::size_t placeholders = 0;
    while (i < text.size() && text[i] == opening) {
      const auto close = text.find(closing, i);
      if (close == std::string_view::npos)
        return fail(fmt::format("the clause's topic name pattern has an unclosed '{}'", opening));
      ++placeholders;
      i = close + 1;
      if (i + 1 < text.size() && text[i + 1] == opening && text[i] != ' ' && text[i] != opening) {
        separators += text[i];
        ++i;
      }
    }
    pattern_ = std::string(text.substr(open, i - open));
    if (placeholders < 2 || separators.size() + 1 != placeholders ||
        separators.find_first_not_of(separators.front()) != std::string::npos)
      return fail(fmt::format("the topic name pattern \"{}\" needs placeholders joined by one separator", pattern_));
    separator_ = separators.front();
    parts_ = placeholders;
    // The clause's example must follow its own pattern.
    for (std::string_view marker : {"e.g.,", "e.g.", "for example,", "for example", "example:"}) {
      const auto at = text::to_lower(text).find(marker);
      if (at == std::string::npos) continue;
      std::size_t start = at + marker.size();
      while (start < text.size() && (text[start] == ' ' || text[start] == '`')) ++start;
      std::size_t end = start;
      while (end < text.size() && text[end] != ' ' && text[end] != ')' && text[end] != '`' && text[end] != ',') ++end;
      example_ = std::string(text.substr(start, end - start));
      break;
    }
    if (!example_.empty())
      if (auto problem = problem_with(example_))
        return fail(fmt::format("the clause's example \"{}\" does not follow its pattern \"{}\": {}", example_,
                                pattern_, *problem));
    return {};
  }
  std::string bound_parameters() const override {
    return fmt::format("{} lower-case parts separated by '{}' ({}{})", parts_, separator_, pattern_,
                       example_.empty() ? "" : ", e.g. " + example_);
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const auto& topic : collect_topics(context).topics) {
      if (topic.internal() || !topic.name_known) continue;
      if (auto problem = problem_with(topic.name))
        report(out, topic, topic.name_place,
               fmt::format("topic '{}' does not follow the naming pattern {}{}: {}", topic.name, pattern_,
                           example_.empty() ? "" : fmt::format(" (e.g. {})", example_), *problem));
    }
  }

 private:
  // Why `name` does not follow the pattern, or nullopt when it does.
  std::optional<std::string> problem_with(std::string_view name) const {
    const auto parts = text::split(name, separator_);
    if (parts.size() != parts_)
      return fmt::format("it has {} '{}'-separated part{} where the pattern has {}", parts.size(), separator_,
                         parts.size() == 1 ? "" : "s", parts_);
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return std::string("it has upper-case letters");
    for (std::string_view part : parts) {
      // Lower-case words of letters and digits, joined by '-' or '_' (not the separator).
      bool ok = !part.empty() && is_word_char(part.front()) && is_word_char(part.back());
      for (char c : part)
        ok = ok && (is_word_char(c) || ((c == '-' || c == '_') && c != separator_));
      if (!ok)
        return part.empty() ? std::string("it has an empty part")
                            : fmt::format("part '{}' is not lower-case words of letters and digits", part);
    }
    return std::nullopt;
  }

  std::string pattern_;
  std::string example_;
  char separator_ = '.';
  std::size_t parts_ = 3;
};

}  // namespace topic_naming_check
}  // namespace

std::unique_ptr<engine::Check> make_topic_naming_check() {
  return engine::make_check<topic_naming_check::TopicNamingCheck>();
}

}  // namespace constable::checks::kafka
