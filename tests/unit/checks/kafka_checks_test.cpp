// The kafka check family: binding to the reference clauses, parameters taken
// from differently worded clauses, the command lines the topic checks read,
// and client settings as configuration files and code write them.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "checks/kafka/client_config.hpp"
#include "checks/kafka/kafka_checks.hpp"
#include "checks/kafka/kafka_support.hpp"
#include "engine/plan.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

using checks::kafka::topics_in_text;

TEST(KafkaCheckCatalog, EveryCheckBindsToItsReferenceClause) {
  const std::map<std::string, std::string> expected = {
      {"kafka/cloudevents-envelope", "CloudEvents specification MUST be followed for event envelopes"},
      {"kafka/compacted-state-topics", "Compacted topics MUST be used for state representation"},
      {"kafka/consumer-groups", "Consumer groups MUST be used for horizontal scaling"},
      {"kafka/consumer-lag-alerting", "Kafka consumer lag: < 1000 messages"},
      {"kafka/consumer-manual-commit", "Offset management MUST be manual for at-least-once semantics"},
      {"kafka/dead-letter-queue", "Dead letter queues MUST be configured for poison messages"},
      {"kafka/idempotent-producer", "Idempotent producers MUST be enabled"},
      {"kafka/key-ordering", "Message ordering MUST be preserved per partition key"},
      {"kafka/message-encoding", "All messages MUST be Avro or Protobuf encoded"},
      {"kafka/producer-acks", "Acknowledgment level MUST be all for critical data"},
      {"kafka/producer-retries", "Retries MUST be configured with exponential backoff"},
      {"kafka/schema-registry", "Schema Registry MUST be used for schema evolution"},
      {"kafka/stable-message-keys", "Message keys MUST be stable identifiers for partitioning"},
      {"kafka/topic-naming", "Topic naming: {domain}.{entity}.{event-type} (e.g., orders.order.created)"},
      {"kafka/topic-partitions", "Topics MUST have minimum 3 partitions for scalability"},
      {"kafka/topic-retention", "Retention period MUST be explicitly configured based on business needs"},
  };
  const engine::Catalog catalog(checks::kafka::kafka_checks());
  auto plan = engine::bind(catalog, reference_constitution(), {}, {}, {});
  ASSERT_TRUE(plan) << plan.error().to_string();
  ASSERT_EQ(plan->bindings.size(), expected.size());
  for (const engine::Binding& binding : plan->bindings) {
    const std::string id(binding.check->info().id);
    ASSERT_NE(binding.clause, nullptr) << id;
    EXPECT_EQ(binding.clause->text, expected.at(id)) << id;
    EXPECT_EQ(binding.status, engine::BindingStatus::active) << id;
  }
}

TEST(KafkaConsumerLagAlerting, AlsoEnforcesTheConsumerStandardsLagMonitoringClause) {
  const engine::Catalog catalog(checks::kafka::kafka_checks());
  auto plan = engine::bind(catalog, reference_constitution(), {}, {}, {});
  ASSERT_TRUE(plan) << plan.error().to_string();
  const auto found = std::find_if(plan->bindings.begin(), plan->bindings.end(), [](const engine::Binding& b) {
    return b.check->info().id == "kafka/consumer-lag-alerting";
  });
  ASSERT_NE(found, plan->bindings.end());
  ASSERT_EQ(found->also_enforces.size(), 1u);
  EXPECT_EQ(found->also_enforces.front()->text, "Lag monitoring MUST be implemented with alerting");
}

constitution::Clause topic_design_clause(std::string text) {
  constitution::Clause clause;
  clause.section_path = {"Event-Driven Architecture", "Kafka Standards", "Topic Design"};
  clause.text = std::move(text);
  return clause;
}

TEST(KafkaTopicNaming, TakesThePatternAndExampleFromTheClause) {
  auto check = checks::kafka::make_topic_naming_check();
  ASSERT_TRUE(check->bind(topic_design_clause(
                              "Topic naming: {domain}.{entity}.{event-type} (e.g., orders.order.created)"),
                          {}));
  EXPECT_EQ(check->bound_parameters(),
            "3 lower-case parts separated by '.' ({domain}.{entity}.{event-type}, e.g. orders.order.created)");
  ASSERT_TRUE(check->bind(topic_design_clause("Topics MUST be named <team>_<event> (for example billing_paid)"), {}));
  EXPECT_EQ(check->bound_parameters(), "2 lower-case parts separated by '_' (<team>_<event>, e.g. billing_paid)");
}

TEST(KafkaTopicNaming, RefusesAClauseItCannotUnderstand) {
  auto check = checks::kafka::make_topic_naming_check();
  EXPECT_FALSE(check->bind(topic_design_clause("Topic names MUST be meaningful"), {}));
  EXPECT_FALSE(check->bind(topic_design_clause("Topic naming: {domain}{entity}"), {}));
  EXPECT_FALSE(check->bind(topic_design_clause("Topic naming: {domain}.{entity}-{event}"), {}));
  // The clause's own example must follow its pattern.
  EXPECT_FALSE(check->bind(topic_design_clause("Topic naming: {domain}.{entity}.{event} (e.g., OrderCreated)"), {}));
}

TEST(KafkaTopicPartitions, TakesTheMinimumFromTheClause) {
  auto check = checks::kafka::make_topic_partitions_check();
  ASSERT_TRUE(check->bind(topic_design_clause("Topics MUST have at least 12 partitions"), {}));
  EXPECT_EQ(check->bound_parameters(), "at least 12 partitions");
  EXPECT_FALSE(check->bind(topic_design_clause("Topics MUST have enough partitions"), {}));
}

TEST(KafkaTopicCommands, ReadsTheCommandLinesThatCreateTopics) {
  const auto topics = topics_in_text("create.sh",
                                     "TOPIC=orders.order.created\n"
                                     "kafka-topics --bootstrap-server k:9092 --create --topic $TOPIC \\\n"
                                     "  --partitions 6 --config retention.ms=1000 --config cleanup.policy=compact\n"
                                     "rpk topic create a.b.c d.e.f -p 3 2>/dev/null || true\n"
                                     "for t in x.y.z u.v.w; do\n"
                                     "  confluent kafka topic create $t --config a=1,b=2\n"
                                     "done\n",
                                     false);
  ASSERT_EQ(topics.size(), 5U);
  EXPECT_EQ(topics[0].name, "orders.order.created");
  EXPECT_TRUE(topics[0].name_known);
  EXPECT_EQ(topics[0].partitions, 6);
  EXPECT_EQ(topics[0].config.at("retention.ms"), "1000");
  EXPECT_TRUE(topics[0].compacted());
  EXPECT_EQ(topics[0].partitions_place.line, 3);
  EXPECT_EQ(topics[1].name, "a.b.c");
  EXPECT_EQ(topics[2].name, "d.e.f");
  EXPECT_EQ(topics[2].partitions, 3);
  EXPECT_EQ(topics[3].name, "x.y.z");
  EXPECT_EQ(topics[4].name, "u.v.w");
  EXPECT_EQ(topics[4].config.at("b"), "2");
}

TEST(KafkaTopicCommands, LeavesOutWhatIsNotRunOrNotKnown) {
  // Printed, probed, commented, listed: no topic is created.
  EXPECT_TRUE(topics_in_text("a.sh",
                             "echo \"kafka-topics --create --topic a.b.c\"\n"
                             "if ! rpk topic create denied; then exit 1; fi\n"
                             "# kafka-topics --create --topic x\n"
                             "kafka-topics --list\n"
                             "rpk topic create a.b.c --unknown-flag value\n",
                             false)
                  .empty());
  const auto opaque = topics_in_text("b.sh", "kafka-topics --create --topic \"$T\" $EXTRA_ARGS\n", false);
  ASSERT_EQ(opaque.size(), 1U);
  EXPECT_FALSE(opaque[0].name_known);
  EXPECT_TRUE(opaque[0].partitions_given);  // the extra arguments may set them
  EXPECT_FALSE(opaque[0].partitions.has_value());
  EXPECT_TRUE(opaque[0].config_unknown);
}

TEST(KafkaTopicCommands, ReadsOnlyCodeBlocksOfMarkdown) {
  const auto topics = topics_in_text("README.md",
                                     "Run `kafka-topics --create --topic inline.prose.topic` first.\n"
                                     "\n"
                                     "```sh\n"
                                     "kafka-topics --create --topic fenced.code.topic --partitions 3\n"
                                     "```\n"
                                     "\n"
                                     "    kafka-topics --create --topic indented.code.topic\n"
                                     "\n"
                                     "- a list item\n"
                                     "\n"
                                     "    kafka-topics --create --topic list.item.text\n",
                                     true);
  ASSERT_EQ(topics.size(), 2U);
  EXPECT_EQ(topics[0].name, "fenced.code.topic");
  EXPECT_EQ(topics[0].name_place.line, 4);
  EXPECT_EQ(topics[1].name, "indented.code.topic");
  // Upper-case words in documentation are placeholders.
  const auto placeholder = topics_in_text("README.md", "```\nkafka-topics --create --topic TOPIC_NAME\n```\n", true);
  ASSERT_EQ(placeholder.size(), 1U);
  EXPECT_FALSE(placeholder[0].name_known);
}

std::vector<std::string> client_findings(engine::CheckFactory factory, const std::string& path,
                                         const std::string& text) {
  const TestFileContext file(path, text);
  const CheckRun run = run_checks({factory}, file);
  EXPECT_TRUE(run.errors.empty()) << run.errors.front();
  std::vector<std::string> messages;
  for (const Emitted& e : run.emitted) messages.push_back(e.emission.message);
  return messages;
}

TEST(KafkaClientSettings, AChartTemplateIsNotReadAsYaml) {
  // `backoffLimit` passes the cheap test; parsing the template would report
  // its `{{` as a YAML syntax error.
  const std::string job = "{{- if .Values.audit.enabled }}\napiVersion: batch/v1\nkind: Job\nspec:\n"
                          "  backoffLimit: {{ .Values.audit.retries }}\n{{- end }}\n";
  const TestFileContext file("charts/audit/templates/job.yaml", job, {}, FileKind::helm_template);
  const CheckRun run = run_checks({&checks::kafka::make_producer_retries_check}, file);
  EXPECT_TRUE(run.errors.empty()) << run.errors.front();
  EXPECT_TRUE(run.emitted.empty());
  EXPECT_FALSE(file.yaml_parsed()) << "the template was parsed as YAML";
}

TEST(KafkaClientSettings, JudgesWhatTheConfigurationWritesOut) {
  const std::string spring =
      "spring.kafka.bootstrap-servers=kafka:9092\n"
      "spring.kafka.producer.acks=1\n"
      "spring.rabbitmq.template.acks=1\n"
      "spring.kafka.consumer.enable-auto-commit=true\n";
  const std::string path = "src/main/resources/application.properties";
  EXPECT_EQ(client_findings(&checks::kafka::make_producer_acks_check, path, spring).size(), 1U);
  EXPECT_EQ(client_findings(&checks::kafka::make_consumer_manual_commit_check, path, spring).size(), 1U);
  // A test's configuration is not the project's.
  EXPECT_TRUE(client_findings(&checks::kafka::make_producer_acks_check, "src/test/resources/application.properties",
                              spring)
                  .empty());
}

TEST(KafkaClientSettings, JudgesClientsMadeInCodeWithTheirLibrarysDefaults) {
  const std::string python =
      "from confluent_kafka import Producer\n"
      "plain = Producer({'bootstrap.servers': 'k:9092'})\n"
      "transactional = Producer({'bootstrap.servers': 'k:9092', 'transactional.id': 'tx'})\n"
      "idempotent = Producer({'bootstrap.servers': 'k:9092', 'enable.idempotence': True})\n";
  const auto messages = client_findings(&checks::kafka::make_idempotent_producer_check, "app/publish.py", python);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_NE(messages[0].find("librdkafka defaults it to false"), std::string::npos) << messages[0];
  const std::string javascript =
      "const { Kafka } = require('kafkajs')\n"
      "const kafka = new Kafka({ brokers: ['k:9092'] })\n"
      "const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })\n"
      "await consumer.run({ eachMessage: async ({ message }) => handle(message) })\n";
  EXPECT_TRUE(client_findings(&checks::kafka::make_idempotent_producer_check, "src/publish.js", javascript).empty());
  EXPECT_EQ(client_findings(&checks::kafka::make_consumer_manual_commit_check, "src/publish.js", javascript).size(),
            1U);
}

}  // namespace
}  // namespace constable::testing
