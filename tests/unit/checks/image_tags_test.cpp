// Which images the project builds, and which third-party tags name one
// release: the tagging scheme of the constitution is the project's own.

#include "checks/kubernetes/image_tags.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace constable::checks::kubernetes {
namespace {

formats::ImageRef image(std::string_view text) {
  auto parsed = formats::parse_image_ref(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(formats::ImageRef{});
}

workspace::File file_at(std::string path) {
  workspace::File file;
  file.path = std::move(path);
  file.kind = workspace::classify(file.path);
  return file;
}

TEST(ImageTags, ThirdPartyTagsThatNameOneRelease) {
  for (std::string_view tag : {"1.25.3", "v0.9", "15.4-alpine", "7.2.4-debian-12-r0", "RELEASE.2024-01-02T03-04-05Z",
                               "20240102", "3f2a9c1", "sha-1a2b3c4"})
    EXPECT_TRUE(is_version_tag(tag)) << tag;
  for (std::string_view tag : {"15", "stable", "alpine", "main", "v2", "lts", "edge", "1-alpine", "abcdefa", "1234567"})
    EXPECT_FALSE(is_version_tag(tag)) << tag;
}

TEST(ImageTags, ProjectImagesAreNamedForTheirDockerfilesAndTheRepository) {
  workspace::Workspace ws;
  ws.root = "/src/shop";
  ws.files = {file_at("services/api/docker/Dockerfile"), file_at("Dockerfile.worker"),
              file_at("web/Dockerfile")};
  const ProjectImages project(ws);
  EXPECT_TRUE(project.builds(image("ghcr.io/acme/api:1.0.0")));
  EXPECT_TRUE(project.builds(image("ghcr.io/acme/shop-api:1.0.0")));
  EXPECT_TRUE(project.builds(image("registry.example.com/worker:main")));
  EXPECT_TRUE(project.builds(image("acme/web-frontend")));
  EXPECT_TRUE(project.builds(image("ghcr.io/acme/shop:v1")));  // the repository's own name
  EXPECT_FALSE(project.builds(image("postgres:15.4")));
  EXPECT_FALSE(project.builds(image("docker.io/library/nginx")));
  EXPECT_FALSE(project.builds(image("acme/docker:1")));  // "docker/" says where, not what
  EXPECT_FALSE(project.builds(image("acme/webapi")));    // a name, not a word of it

  workspace::Workspace nothing_built;
  nothing_built.root = "/src/platform";
  EXPECT_FALSE(ProjectImages(nothing_built).builds(image("acme/platform:1")));  // no Dockerfile
}

TEST(ImageTags, AProjectsOwnChartsNameItsImagesAChartCollectionDoesNot) {
  workspace::Workspace platform;
  platform.root = "/src/platform";
  platform.files = {file_at("charts/storefront/Chart.yaml")};
  EXPECT_TRUE(ProjectImages(platform).builds(image("registry.example.com/shop/storefront:2.4")));
  EXPECT_FALSE(ProjectImages(platform).builds(image("redis:7.2")));

  workspace::Workspace collection;
  collection.root = "/src/charts";
  for (std::string_view chart : {"grafana", "redis", "postgresql", "kafka", "nginx", "mysql"})
    collection.files.push_back(file_at(fmt::format("stable/{}/Chart.yaml", chart)));
  EXPECT_FALSE(ProjectImages(collection).builds(image("grafana/grafana:10.2.0")));
}

}  // namespace
}  // namespace constable::checks::kubernetes
