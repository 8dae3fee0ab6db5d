#include <gtest/gtest.h>

#include <map>

#include "formats/openapi/openapi.hpp"

namespace constable::openapi {
namespace {

// Documents by path, for the resolver's loader.
struct Files {
  std::map<std::string, std::string> texts;
  int loads = 0;
  Loader loader() {
    return [this](const std::string& path) -> std::optional<std::string> {
      ++loads;
      const auto it = texts.find(path);
      if (it == texts.end()) return std::nullopt;
      return it->second;
    };
  }
};

TEST(OpenApi, VersionsAndPointers) {
  EXPECT_EQ(parse_version("3.1.0"), (Version{3, 1}));
  EXPECT_EQ(parse_version("3.0"), (Version{3, 0}));
  EXPECT_FALSE(parse_version("3"));
  EXPECT_FALSE(parse_version("x.1"));
  EXPECT_LT(*parse_version("3.0.3"), (Version{3, 1}));
  const yaml::Stream s = yaml::parse("a:\n  b/c: {x: 1}\n  t~k: [10, 20]\n  sp ace: 3\n");
  const yaml::Node* root = s.documents.front().root;
  EXPECT_EQ(walk_pointer(root, "/a/b~1c/x")->value, "1");
  EXPECT_EQ(walk_pointer(root, "/a/t~0k/1")->value, "20");
  EXPECT_EQ(walk_pointer(root, "/a/sp%20ace")->value, "3");
  EXPECT_EQ(walk_pointer(root, ""), root);
  EXPECT_EQ(walk_pointer(root, "/a/t~0k/2"), nullptr);
  EXPECT_EQ(walk_pointer(root, "/missing"), nullptr);
  EXPECT_EQ(walk_pointer(root, "a"), nullptr);
  EXPECT_EQ(join_relative("api/openapi.yaml", "../schemas/p.yaml"), "schemas/p.yaml");
  EXPECT_EQ(join_relative("openapi.yaml", "./p.yaml"), "p.yaml");
}

TEST(OpenApi, ResolvesLocalAndCrossFileReferenceChains) {
  Files files;
  files.texts["api/common.yaml"] = "Problem: {$ref: 'schemas/problem.yaml'}\n";
  files.texts["api/schemas/problem.yaml"] = "type: object\nproperties: {title: {type: string}}\n";
  const yaml::Stream s = yaml::parse(
      "components:\n  schemas:\n    Local: {$ref: '#/components/schemas/Target'}\n    Target: {type: string}\n"
      "    Remote: {$ref: 'common.yaml#/Problem'}\n");
  const yaml::Node* root = s.documents.front().root;
  Resolver resolver("api/openapi.yaml", root, files.loader());
  const yaml::Node* schemas = root->at("components", "schemas");
  auto local = resolver.resolve({schemas->get("Local"), "api/openapi.yaml"});
  ASSERT_TRUE(local) << local.error().message;
  EXPECT_EQ(local->node->get("type")->value, "string");
  EXPECT_EQ(local->document, "api/openapi.yaml");
  auto remote = resolver.resolve({schemas->get("Remote"), "api/openapi.yaml"});
  ASSERT_TRUE(remote) << remote.error().message;
  EXPECT_EQ(remote->document, "api/schemas/problem.yaml");
  EXPECT_NE(remote->node->at("properties", "title"), nullptr);
  // Each file is loaded once.
  ASSERT_TRUE(resolver.resolve({schemas->get("Remote"), "api/openapi.yaml"}));
  EXPECT_EQ(files.loads, 2);
  // A node that is not a reference is returned as it is.
  EXPECT_EQ(resolver.resolve({schemas, "api/openapi.yaml"})->node, schemas);
}

TEST(OpenApi, BrokenAndCyclicReferencesAreErrors) {
  Files files;
  files.texts["a.yaml"] = "X: {$ref: 'b.yaml#/Y'}\n";
  files.texts["b.yaml"] = "Y: {$ref: 'a.yaml#/X'}\n";
  files.texts["bad.yaml"] = "x: [\n";
  const yaml::Stream s = yaml::parse(
      "self: {$ref: '#/self'}\nloop: {$ref: 'a.yaml#/X'}\nmissing: {$ref: '#/nowhere'}\nnofile: {$ref: 'c.yaml'}\n"
      "broken: {$ref: 'bad.yaml#/x'}\nremote: {$ref: 'https://example.com/s.yaml'}\n");
  const yaml::Node* root = s.documents.front().root;
  Resolver resolver("openapi.yaml", root, files.loader());
  auto error_of = [&](std::string_view key) {
    auto r = resolver.resolve({root->get(key), "openapi.yaml"});
    EXPECT_FALSE(r) << key;
    return r ? std::string() : r.error().message;
  };
  EXPECT_NE(error_of("self").find("cycle"), std::string::npos);
  EXPECT_NE(error_of("loop").find("cycle"), std::string::npos);
  EXPECT_NE(error_of("missing").find("names nothing"), std::string::npos);
  EXPECT_NE(error_of("nofile").find("cannot read"), std::string::npos);
  EXPECT_NE(error_of("broken").find("does not parse"), std::string::npos);
  EXPECT_NE(error_of("remote").find("remote"), std::string::npos);
}

TEST(OpenApi, OperationsFollowPathItemReferences) {
  Files files;
  files.texts["paths/orders.yaml"] = "get: {summary: List}\npost: {summary: Create}\nparameters: []\n";
  const yaml::Stream s = yaml::parse(
      "openapi: 3.1.0\npaths:\n  /a:\n    get: {}\n    x-extension: {}\n  /orders: {$ref: 'paths/orders.yaml'}\n");
  const yaml::Node* root = s.documents.front().root;
  ASSERT_NE(version_entry(root), nullptr);
  Resolver resolver("openapi.yaml", root, files.loader());
  const auto ops = operations(root, "openapi.yaml", resolver);
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].path, "/a");
  EXPECT_EQ(ops[0].operation_entry->key->start.line, 4);
  EXPECT_EQ(ops[1].method, "get");
  EXPECT_EQ(ops[1].document, "paths/orders.yaml");
  EXPECT_EQ(ops[2].method, "post");
  EXPECT_EQ(version_entry(yaml::parse("a: 1\n").documents.front().root), nullptr);
}

}  // namespace
}  // namespace constable::openapi
