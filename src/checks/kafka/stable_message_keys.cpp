// kafka/stable-message-keys: "Message keys MUST be stable identifiers for
// partitioning". A key made fresh for every message (a random UUID, a random
// number, the current time) sends the records of one entity to arbitrary
// partitions: per-entity ordering and compaction are lost.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/kafka/kafka_checks.hpp"
#include "core/text.hpp"
#include "workspace/provenance.hpp"

namespace constable::checks::kafka {

namespace {
namespace stable_message_keys_check {

constexpr engine::CheckInfo kInfo{
    .id = "kafka/stable-message-keys",
    .domain = "kafka",
    .nature = Nature::data_loss,
    .summary = "Key Kafka messages by the entity they are about, not by a value made per message",
    .rationale =
        "Kafka partitions by key: every record of one order lands on one partition, in order, and a compacted "
        "topic keeps its latest state. A key generated for each message (uuid4(), UUID.randomUUID(), "
        "uuid.New(), uuidv4(), crypto.randomUUID(), a random number or the current time) scatters one entity's "
        "records over all partitions, so they are consumed out of order and compaction keeps every one. The "
        "check reads producer calls in Python, JavaScript, TypeScript, Java, Kotlin and Go files that use "
        "Kafka: a `key` argument or field inside a send (produce, send, send_and_wait, a ProducerRecord, a "
        "sarama ProducerMessage or kafka-go Message, kafkajs `messages`, on the line or the three before), or "
        "a ProducerRecord's key argument, whose value is such a fresh value. Tests are not judged.",
    .remediation = "Key the message by the identifier of the entity it is about (the order id, the customer "
                   "id); leave the key empty only for topics where neither order nor compaction matters.",
    .bad_example = "producer.produce(\"orders.order.created\", key=str(uuid.uuid4()), value=payload)\n",
    .good_example = "producer.produce(\"orders.order.created\", key=order.id, value=payload)\n",
    .parameters = "",
    .clause = {.section = "kafka|message", .text = R"(keys?.*(stable|partition))"},
    .file_kind = FileKind::other,
    .stack = "",  // only Kafka producer code is judged
    .scope = engine::Scope::every_text_file,
};

bool is_source(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  for (std::string_view extension : {".py", ".js", ".mjs", ".cjs", ".ts", ".java", ".kt", ".go"})
    if (name.ends_with(extension)) return true;
  return false;
}

class StableMessageKeysCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override {
    return is_source(path) && !workspace::is_test_source(path) && !workspace::is_test_artifact(path);
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path) || !text::icontains(file.text(), "kafka")) return;
    // A value made anew for each call.
    static const std::string kFresh =
        R"((uuid\.?uuid[14]\(\)|uuid\.uuid[14]\(|uuid4\(\)|UUID\.randomUUID\(\)|uuid\.New(String)?\(\)|uuidv4\(\)|\bv4\(\)|randomUUID\(\)|Math\.random\(\)|random\.(random|randint|choice)\(|Date\.now\(\)|time\.time\(\)|time\.Now\(\)|System\.currentTimeMillis\(\)|nanoTime\(\)))";
    static const RE2 kKeyed(R"((?i)\bkey\s*[=:]\s*[^,;)\n]{0,60}?)" + kFresh);
    static const RE2 kRecord(R"(new\s+ProducerRecord\s*(<[^>]*>)?\s*\(\s*[^,()]+(\([^()]*\))?\s*,\s*[^,]{0,40}?)" + kFresh);
    const auto& lines = file.lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view line = lines[i];
      const std::string_view code = text::trim(line);
      if (code.starts_with('#') || code.starts_with("//") || code.starts_with('*')) continue;
      if (!RE2::PartialMatch(line, kKeyed) && !RE2::PartialMatch(line, kRecord)) continue;
      // A key is a message's only inside a send: the call, a record or a message literal, on this line or
      // the three before it (a dict's or a cache's `key` is not).
      static const RE2 kSend(
          R"((produce\(|\.send\(|send_and_wait\(|ProducerRecord|ProducerMessage|kafka\.Message\{|WriteMessages\(|messages\s*[:=]))");
      bool in_send = false;
      for (std::size_t j = i >= 3 ? i - 3 : 0; j <= i && !in_send; ++j) in_send = RE2::PartialMatch(lines[j], kSend);
      if (!in_send) continue;
      const int number = static_cast<int>(i) + 1;
      out.report(SourceRange::at_line(number),
                 fmt::format("the message key is made fresh for each message ({}): records of one entity "
                             "scatter over the partitions, out of order, and compaction keeps them all",
                             text::trim(code.substr(0, std::min<std::size_t>(code.size(), 100)))),
                 "fresh key");
    }
  }
};

}  // namespace stable_message_keys_check
}  // namespace

std::unique_ptr<engine::Check> make_stable_message_keys_check() {
  return engine::make_check<stable_message_keys_check::StableMessageKeysCheck>();
}

}  // namespace constable::checks::kafka
