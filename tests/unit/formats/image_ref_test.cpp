#include <gtest/gtest.h>

#include <string>

#include "formats/image_ref.hpp"

namespace constable::formats {
namespace {

const std::string kSha = "sha256:" + std::string(64, 'a');

struct ValidCase {
  std::string text;
  std::string registry;
  std::string repository;
  std::string tag;
  std::string digest;
};

TEST(ImageRefParse, ValidReferences) {
  const ValidCase cases[] = {
      {"python", "", "library/python", "", ""},
      {"python:3.12-slim", "", "library/python", "3.12-slim", ""},
      {"library/python:3", "", "library/python", "3", ""},
      {"docker.io/python", "", "library/python", "", ""},
      {"docker.io/library/python:3.12", "", "library/python", "3.12", ""},
      {"index.docker.io/myorg/app:v1", "", "myorg/app", "v1", ""},
      {"myorg/app", "", "myorg/app", "", ""},
      {"ghcr.io/acme/app:1.2.3", "ghcr.io", "acme/app", "1.2.3", ""},
      {"gcr.io/distroless/static:nonroot", "gcr.io", "distroless/static", "nonroot", ""},
      {"localhost/app", "localhost", "app", "", ""},
      {"localhost:5000/team/app:latest", "localhost:5000", "team/app", "latest", ""},
      {"registry.example.com:443/a/b/c", "registry.example.com:443", "a/b/c", "", ""},
      {"Registry.Example.COM/app", "Registry.Example.COM", "app", "", ""},
      {"alpine@" + kSha, "", "library/alpine", "", kSha},
      {"alpine:3.20@" + kSha, "", "library/alpine", "3.20", kSha},
      {"ghcr.io/a/b@" + kSha, "ghcr.io", "a/b", "", kSha},
      {"app@sha512:" + std::string(128, '0'), "", "library/app", "", "sha512:" + std::string(128, '0')},
      {"app@blake3:" + std::string(40, 'F'), "", "library/app", "", "blake3:" + std::string(40, 'F')},
      {"my_org/my__app-x.y", "", "my_org/my__app-x.y", "", ""},
      {"a--b/c:_TAG", "", "a--b/c", "_TAG", ""},
      {"foo:5000", "", "library/foo", "5000", ""},
      {"[::1]:5000/app", "[::1]:5000", "app", "", ""},
      {"scratch", "", "library/scratch", "", ""},
  };
  for (const auto& c : cases) {
    const auto ref = parse_image_ref(c.text);
    ASSERT_TRUE(ref.has_value()) << c.text;
    EXPECT_EQ(ref->registry, c.registry) << c.text;
    EXPECT_EQ(ref->repository, c.repository) << c.text;
    EXPECT_EQ(ref->tag, c.tag) << c.text;
    EXPECT_EQ(ref->digest, c.digest) << c.text;
  }
}

TEST(ImageRefParse, InvalidReferences) {
  const std::string invalid[] = {
      "",
      " ",
      "python ",
      "py thon",
      "Python",
      "myorg/App",
      "python:",
      "python:-bad",
      "python:" + std::string(129, 'a'),
      "python@",
      "python@sha256:abc",
      "python@sha256:" + std::string(64, 'A'),
      "python@sha256:" + std::string(63, 'a'),
      "python@md5",
      "python@:" + std::string(64, 'a'),
      "@" + kSha,
      "/python",
      "python/",
      "a//b",
      "ghcr.io/",
      "ghcr.io//app",
      "-app",
      "app-",
      "a..b",
      "a___b",
      "${BASE}",
      "$BASE:latest",
      "bad_host.io/app",
      "host:port/app",
      ":tag",
      "a\tb",
      "caf\xc3\xa9",
  };
  for (const auto& text : invalid) EXPECT_FALSE(parse_image_ref(text).has_value()) << text;
}

TEST(ImageRefNames, OfficialCanonicalAndShortNames) {
  const auto py = parse_image_ref("python:3.12");
  ASSERT_TRUE(py);
  EXPECT_TRUE(py->is_docker_official());
  EXPECT_EQ(py->canonical_name(), "docker.io/library/python");
  EXPECT_EQ(py->short_name(), "python");

  const auto hub = parse_image_ref("docker.io/library/node");
  ASSERT_TRUE(hub);
  EXPECT_TRUE(hub->is_docker_official());
  EXPECT_EQ(hub->canonical_name(), "docker.io/library/node");

  const auto org = parse_image_ref("bitnami/redis");
  ASSERT_TRUE(org);
  EXPECT_FALSE(org->is_docker_official());
  EXPECT_EQ(org->canonical_name(), "docker.io/bitnami/redis");

  const auto ghcr = parse_image_ref("ghcr.io/acme/app:1");
  ASSERT_TRUE(ghcr);
  EXPECT_FALSE(ghcr->is_docker_official());
  EXPECT_EQ(ghcr->canonical_name(), "ghcr.io/acme/app");
  EXPECT_EQ(ghcr->short_name(), "app");

  const auto distroless = parse_image_ref("gcr.io/distroless/static");
  ASSERT_TRUE(distroless);
  EXPECT_EQ(distroless->short_name(), "static");

  // A library/ path on another registry is not a Docker official image.
  const auto mirror = parse_image_ref("mirror.example.com/library/python");
  ASSERT_TRUE(mirror);
  EXPECT_FALSE(mirror->is_docker_official());
}

}  // namespace
}  // namespace constable::formats
