#include "formats/yaml/yaml.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

namespace constable::yaml {
namespace {

// Documents point into the stream's node storage: growing a vector of streams
// (moving them) must not move a node. This crashed on every repository with
// two or more OpenAPI documents.
TEST(YamlTest, StreamsKeepTheirNodesWhenMoved) {
  static_assert(std::is_nothrow_move_constructible_v<Stream>);
  static_assert(!std::is_copy_constructible_v<Stream>);
  std::vector<Stream> streams;
  std::vector<const Node*> roots;
  for (int i = 0; i < 64; ++i) {
    streams.push_back(parse("openapi: 3.1.0\ninfo: {title: t" + std::to_string(i) + "}\n"));
    roots.push_back(streams.back().documents.front().root);
  }
  for (int i = 0; i < 64; ++i) {
    ASSERT_EQ(streams[i].documents.front().root, roots[i]);
    EXPECT_EQ(roots[i]->at("info", "title")->str(), "t" + std::to_string(i));
  }
}

// Values, nodes and lists of children share the stream's chunks: scalars of
// every length (up to several times the largest chunk), lists of thousands
// of children and many small nodes between them come back intact, also once
// the stream has moved.
TEST(YamlTest, ValuesAndChildrenOfEverySizeShareTheStreamsChunks) {
  static_assert(sizeof(Node) <= 80, "a node holds views into its stream, not strings and vectors");
  std::string text;
  std::vector<std::string> expected;
  for (std::size_t length = 1; length <= 300000; length = length * 3 + 1) {
    expected.push_back(std::string(length, static_cast<char>('a' + expected.size() % 26)));
    text += fmt::format("k{}: {}\nsmall{}: [x, y]\n", expected.size(), expected.back(), expected.size());
  }
  text += "many:\n";
  for (int i = 0; i < 5000; ++i) text += fmt::format("  - item{}\n", i);
  Stream parsed = parse(text);
  const Stream stream = std::move(parsed);
  ASSERT_TRUE(stream.ok());
  const Node* root = stream.documents.at(0).root;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(root->get(fmt::format("k{}", i + 1))->str(), expected[i]) << "value " << i + 1;
    const Node* small = root->get(fmt::format("small{}", i + 1));
    ASSERT_EQ(small->items.size(), 2U);
    EXPECT_EQ(small->items[1]->str(), "y");
  }
  const Node* many = root->get("many");
  ASSERT_EQ(many->items.size(), 5000U);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(many->items[i]->str(), fmt::format("item{}", i));
  EXPECT_EQ(root->entries.size(), 2 * expected.size() + 1);
}

TEST(YamlTest, MultiDocumentStreamWithMarks) {
  const auto stream =
      parse("apiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n");
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream.documents.size(), 2u);
  const Node* second = stream.documents[1].root;
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->get("kind")->value, "Deployment");
  const Node* name = second->at("metadata", "name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->value, "web");
  EXPECT_EQ(name->start, (Mark{7, 9}));
  EXPECT_EQ(second->find("metadata")->key->start, (Mark{6, 1}));
  EXPECT_EQ(stream.documents[1].index, 1);
}

// Positions on one long line (minified JSON), after multi-byte characters,
// in the order the parser meets them and back at the line's start.
TEST(YamlTest, ColumnsAlongOneLongLine) {
  std::string json = "[";
  std::vector<std::size_t> value_columns;
  for (int i = 0; i < 50000; ++i) {
    json += i == 0 ? "{\"k\": \"" : ", {\"k\": \"";
    value_columns.push_back(json.size());  // 1-based column of the opening quote
    json += i % 3 == 0 ? "é日" : "ab";
    json += "\"}";
  }
  json += "]\n---\n[\"é\", \"second\"]\n";
  const Stream stream = parse(json);
  ASSERT_TRUE(stream.ok());
  const Node* items = stream.documents.at(0).root;
  ASSERT_EQ(items->items.size(), value_columns.size());
  for (std::size_t i = 0; i < value_columns.size(); i += 997) {
    const Node* value = items->items[i]->get("k");
    EXPECT_EQ(value->start.line, 1);
    EXPECT_EQ(value->start.column, static_cast<int>(value_columns[i])) << "item " << i;
  }
  EXPECT_EQ(items->end.column, static_cast<int>(json.find("]\n") + 2));
  const Node* second = stream.documents.at(1).root->items[1];
  EXPECT_EQ(second->start.line, 3);
  EXPECT_EQ(second->start.column, 8);  // bytes: "é" is two
}

TEST(YamlTest, ColumnsAreBytesAfterMultiByteCharacters) {
  const auto stream = parse("k: {é: ü, x: 1}\n");
  ASSERT_TRUE(stream.ok());
  const Node* x = stream.documents[0].root->at("k", "x");
  ASSERT_NE(x, nullptr);
  // "k: {é: ü, x: " is 15 bytes (é and ü take two each), so the value is at byte 16.
  EXPECT_EQ(x->start.column, 16);
}

TEST(YamlTest, MarksAreTheSameWhereTheTextTakesTheShortWayOrNot) {
  // ASCII with line feeds only takes libyaml's columns as they are; carriage
  // returns and non-ASCII bytes elsewhere in the text take the long way.
  const std::string lf = "a:\n  b: [1, 22]\n  c: |\n    text\nd: end";
  std::string crlf;
  for (const char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  for (const std::string& text : {lf, crlf, lf + "\n# \xC3\xA9\n"}) {
    SCOPED_TRACE(text);
    const auto stream = parse(text);
    ASSERT_TRUE(stream.ok());
    const Node* root = stream.documents[0].root;
    const Node* b = root->at("a", "b");
    ASSERT_NE(b, nullptr);
    ASSERT_EQ(b->items.size(), 2u);
    EXPECT_EQ(b->start.line, 2);
    EXPECT_EQ(b->start.column, 6);
    EXPECT_EQ(b->items[1]->start.column, 10);
    EXPECT_EQ(b->items[1]->end.column, 12);
    const Entry* d = root->find("d");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->key->start.line, 5);
    EXPECT_EQ(d->key->start.column, 1);
    EXPECT_EQ(d->value->start.column, 4);
    EXPECT_EQ(d->value->end.column, 7);
    EXPECT_EQ(root->at("a", "c")->value, "text\n");
  }
}

TEST(YamlTest, ScalarResolutionFollowsGoYamlV2) {
  EXPECT_EQ(resolve_plain("~"), ScalarType::null);
  EXPECT_EQ(resolve_plain(""), ScalarType::null);
  EXPECT_EQ(resolve_plain("yes"), ScalarType::boolean);
  EXPECT_EQ(resolve_plain("Off"), ScalarType::boolean);
  EXPECT_EQ(resolve_plain("0x1F"), ScalarType::integer);
  EXPECT_EQ(resolve_plain("-12_000"), ScalarType::integer);
  EXPECT_EQ(resolve_plain("1.5e3"), ScalarType::floating);
  EXPECT_EQ(resolve_plain(".inf"), ScalarType::floating);
  EXPECT_EQ(resolve_plain("25%"), ScalarType::string);
  EXPECT_EQ(resolve_plain("1.2.3"), ScalarType::string);
  const auto stream = parse("a: \"true\"\nb: true\nc: 010\nd: !!str 5\ne: 3\n");
  const Node* root = stream.documents[0].root;
  EXPECT_EQ(root->get("a")->scalar_type(), ScalarType::string);
  EXPECT_EQ(root->get("b")->as_bool(), true);
  EXPECT_EQ(root->get("c")->as_int(), 8);
  EXPECT_EQ(root->get("d")->as_int(), std::nullopt);
  EXPECT_EQ(root->get("e")->as_double(), 3.0);
}

TEST(YamlTest, AnchorsAliasesAndMergeKeys) {
  const auto stream = parse(
      "base: &base\n  cpu: 100m\n  memory: 64Mi\nother: &other\n  memory: 1Gi\n  gpu: 1\n"
      "use:\n  <<: [*base, *other]\n  cpu: 200m\nlist:\n  - *base\n");
  ASSERT_TRUE(stream.ok());
  const Node* use = stream.documents[0].root->get("use");
  EXPECT_EQ(use->get("cpu")->value, "200m");     // own key wins
  EXPECT_EQ(use->get("memory")->value, "64Mi");  // first merge source wins
  EXPECT_EQ(use->get("gpu")->value, "1");
  EXPECT_EQ(use->get("<<"), nullptr);
  const Node* aliased = stream.documents[0].root->get("list")->items[0];
  EXPECT_EQ(aliased, stream.documents[0].root->get("base"));
}

TEST(YamlTest, AliasBombIsAnErrorNotAHang) {
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const char prev = static_cast<char>(c - 1);
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev +
            ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n";
  }
  const auto stream = parse(bomb);
  EXPECT_FALSE(stream.ok());
  ASSERT_FALSE(stream.errors.empty());
  EXPECT_NE(stream.errors[0].message.find("alias"), std::string::npos);
  EXPECT_GT(stream.errors[0].mark.line, 1);
}

TEST(YamlTest, DeepNestingIsAnErrorWithALocation) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "- ";
  deep += "x\n";
  const auto stream = parse(deep);
  EXPECT_FALSE(stream.ok());
  EXPECT_NE(stream.errors[0].message.find("nesting deeper than"), std::string::npos);
  EXPECT_EQ(stream.errors[0].mark.line, 1);

  std::string flow(10000, '[');
  flow += std::string(10000, ']');
  EXPECT_FALSE(parse(flow).ok());
}

TEST(YamlTest, SyntaxErrorKeepsEarlierDocuments) {
  const auto stream = parse("a: 1\n---\nb: [1, 2\nc: 3\n");
  EXPECT_FALSE(stream.ok());
  ASSERT_EQ(stream.documents.size(), 1u);
  ASSERT_EQ(stream.errors.size(), 1u);
  EXPECT_GE(stream.errors[0].mark.line, 3);
}

TEST(YamlTest, NotYamlAtAll) {
  const auto stream = parse("{{- if .Values.enabled }}\nkind: {{ .Values.kind }\n");
  EXPECT_FALSE(stream.ok());
  EXPECT_EQ(parse("\x01\x02 binary: [").ok(), false);
}

TEST(YamlTest, DuplicateKeysAreReportedButTheDocumentIsKept) {
  const auto stream = parse("name: a\nname: b\n");
  ASSERT_EQ(stream.documents.size(), 1u);
  ASSERT_EQ(stream.errors.size(), 1u);
  EXPECT_FALSE(stream.errors[0].fatal);
  EXPECT_TRUE(stream.ok());
  EXPECT_EQ(stream.errors[0].mark, (Mark{2, 1}));
  EXPECT_EQ(stream.errors[0].message, "duplicate key 'name' (first at line 1)");
}

// A generated file repeating keys by the thousand is a few errors with
// counts, not one error per line.
TEST(YamlTest, RepeatedDuplicateKeysAreCountedNotListed) {
  std::string text = "data:\n";
  for (int i = 0; i < 10000; ++i) text += "  key: value\n";
  for (int i = 0; i < 30; ++i) text += fmt::format("  other{}: 1\n  other{}: 2\n", i, i);
  const auto stream = parse(text);
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream.errors.size(), 21u);
  EXPECT_EQ(stream.errors[0].message, "duplicate key 'key' (first at line 2); repeated 9998 more times in this mapping");
  EXPECT_EQ(stream.errors[0].mark, (Mark{3, 3}));
  EXPECT_EQ(stream.errors[20].message, "11 more duplicated keys not reported");
}

TEST(YamlTest, JsonWithTabsParses) {
  const auto stream = parse("{\n\t\"kind\": \"Pod\",\n\t\"spec\": {\"containers\": [{\"name\": \"a\"}]}\n}\n");
  ASSERT_TRUE(stream.ok()) << stream.errors[0].message;
  EXPECT_EQ(stream.documents[0].root->at("spec", "containers")->items[0]->get("name")->value, "a");
  EXPECT_EQ(stream.documents[0].root->get("kind")->start, (Mark{2, 10}));
}

TEST(YamlTest, EmptyDocumentsAndComments) {
  const auto stream = parse("# only a comment\n---\n---\nkind: A\n");
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream.documents.size(), 2u);
  EXPECT_TRUE(stream.documents[0].root == nullptr || stream.documents[0].root->is_null());
  EXPECT_EQ(stream.documents[1].root->get("kind")->value, "A");
}

}  // namespace
}  // namespace constable::yaml
