// Realistic text full of long random-looking strings that are not secrets:
// lock-file hashes, digests, data URIs, UUIDs, minified code. Zero matches.

#include <gtest/gtest.h>

#include <string>

#include "unit/secrets/secrets_test_support.hpp"

namespace constable::secrets::testing {
namespace {

TEST(SecretsFalsePositives, PackageLockJson) {
  std::string lock = "{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n";
  for (int i = 0; i < 40; ++i) {
    const auto seed = static_cast<std::uint64_t>(1000 + i);
    lock += "    \"node_modules/pkg-" + std::to_string(i) + "\": {\n      \"version\": \"1." + std::to_string(i) +
            ".0\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-" + std::to_string(i) + "/-/pkg-" +
            std::to_string(i) + "-1.0.0.tgz\",\n      \"integrity\": \"sha512-" + random_string(86, kBase64, seed) +
            "==\",\n      \"license\": \"MIT\",\n      \"dependencies\": {\"js-tokens\": \"^4.0.0\"}\n    },\n";
  }
  lock += "    \"node_modules/js-tokens\": {\"version\": \"4.0.0\", \"integrity\": \"sha1-" +
          random_string(27, kBase64, 7) + "=\"}\n  }\n}\n";
  expect_silent(lock, "package-lock.json");
}

TEST(SecretsFalsePositives, GoSumCargoLockPoetryLock) {
  std::string go_sum;
  for (int i = 0; i < 30; ++i) {
    const auto seed = static_cast<std::uint64_t>(2000 + i);
    go_sum += "github.com/acme/module" + std::to_string(i) + " v1.2." + std::to_string(i) +
              " h1:" + random_string(43, kBase64, seed) + "=\n";
    go_sum += "github.com/acme/module" + std::to_string(i) + " v1.2." + std::to_string(i) +
              "/go.mod h1:" + random_string(43, kBase64, seed + 100) + "=\n";
  }
  expect_silent(go_sum, "go.sum");

  std::string cargo;
  for (int i = 0; i < 30; ++i) {
    cargo += "[[package]]\nname = \"crate" + std::to_string(i) + "\"\nversion = \"0.4." + std::to_string(i) +
             "\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"" +
             random_string(64, kHex, static_cast<std::uint64_t>(3000 + i)) + "\"\n\n";
  }
  expect_silent(cargo, "Cargo.lock");

  std::string poetry;
  for (int i = 0; i < 30; ++i) {
    poetry += "[[package]]\nname = \"token-bucket" + std::to_string(i) +
              "\"\nversion = \"2.0\"\nfiles = [\n"
              "    {file = \"token_bucket-2.0-py3-none-any.whl\", hash = \"sha256:" +
              random_string(64, kHex, static_cast<std::uint64_t>(4000 + i)) + "\"},\n]\n\n";
  }
  poetry += "[metadata]\ncontent-hash = \"" + random_string(64, kHex, 4999) + "\"\n";
  expect_silent(poetry, "poetry.lock");
  // A git SHA in prose and in a YAML key.
  expect_silent(
      "Fixed in commit " + random_string(40, kHex, 5000) + ".\nrevision: " + random_string(40, kHex, 5001) + "\n",
      "CHANGELOG.md");
}

TEST(SecretsFalsePositives, DockerfileDigests) {
  std::string dockerfile;
  dockerfile += "FROM node:20-alpine@sha256:" + random_string(64, kHex, 6001) + " AS build\n";
  dockerfile += "WORKDIR /app\nCOPY package*.json ./\nRUN npm ci --token-file=/run/secrets/npm\n";
  dockerfile += "FROM gcr.io/distroless/nodejs20-debian12@sha256:" + random_string(64, kHex, 6002) + "\n";
  dockerfile += "COPY --from=build /app /app\nUSER nonroot\nCMD [\"server.js\"]\n";
  expect_silent(dockerfile, "Dockerfile");
  expect_silent("image: ghcr.io/acme/api@sha256:" + random_string(64, kHex, 6003) + "\n", "k8s/deploy.yaml");
}

TEST(SecretsFalsePositives, HtmlWithBase64Image) {
  std::string html = "<!doctype html>\n<html><head><title>Sign in</title></head><body>\n";
  html += "<img alt=\"logo\" src=\"data:image/png;base64," + random_string(6000, kBase64, 7001) + "=\">\n";
  html +=
      "<form><label>Password</label><input type=\"password\" name=\"password\" autocomplete=\"current-password\">\n";
  html += "<input type=\"hidden\" name=\"csrf_token\" value=\"{{ csrf_token }}\"></form>\n";
  html += "<link rel=\"icon\" href=\"data:image/svg+xml;base64," + random_string(400, kBase64, 7002) + "\">\n";
  html += "</body></html>\n";
  expect_silent(html, "public/index.html");
}

TEST(SecretsFalsePositives, UuidsInJson) {
  auto uuid = [](std::uint64_t seed) {
    const std::string h = random_string(32, kHex, seed);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
  };
  std::string json = "[\n";
  for (int i = 0; i < 50; ++i) {
    const auto seed = static_cast<std::uint64_t>(8000 + 3 * i);
    json += "  {\"id\": \"" + uuid(seed) + "\", \"requestId\": \"" + uuid(seed + 1) + "\", \"tokenId\": \"" +
            uuid(seed + 2) + "\", \"session_token\": \"" + uuid(seed + 3) + "\", \"name\": \"item" + std::to_string(i) +
            "\"},\n";
  }
  json += "  {}\n]\n";
  expect_silent(json, "fixtures/items.json");
}

TEST(SecretsFalsePositives, MinifiedJavaScript) {
  std::string js =
      "!function(e,t){\"object\"==typeof exports?module.exports=t():e.Auth=t()}(this,function(){\"use strict\";"
      "var e={apiKey:n.apiKey,authToken:t.authToken,password:r.password};function t(e){return e.token||"
      "e.accessToken||\"\"}var n=\"" +
      random_string(120, kAlnum, 9001) + "\";";
  js += "var r=function(e){return e.secret=e.secret||o.secret,e};";
  js += "var r=e.getTokenAt(t,n);this.$tokenIndex=r?r.index:-1;";
  js += "f.token&&(c>1?f.onMatch=this.$applyToken:f.onMatch=f.token);";
  for (int i = 0; i < 20; ++i) {
    js += "function f" + std::to_string(i) + "(a,b){var c=\"" +
          random_string(60, kBase64Url, static_cast<std::uint64_t>(9100 + i)) +
          "\";return a.token===b.token?c:a.passwordHash}";
  }
  js += "return{getToken:t,tokenize:function(e){return e.split(/\\s+/)}}});\n";
  expect_silent(js, "dist/app.min.js");
}

TEST(SecretsFalsePositives, ProseAboutSecrets) {
  expect_silent(
      "# Secrets\n\nSet the password with `--password-file`. A token looks like `ghp_` followed by 36 characters.\n"
      "Never commit your AWS secret access key; use the `AWS_SECRET_ACCESS_KEY` variable instead.\n"
      "The API key is read from the environment: api_key = os.environ[\"API_KEY\"].\n",
      "docs/secrets.md");
}

}  // namespace
}  // namespace constable::secrets::testing
