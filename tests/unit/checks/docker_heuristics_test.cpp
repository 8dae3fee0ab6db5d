// Secret heuristics and the small helpers the docker checks share.

#include <gtest/gtest.h>

#include "checks/common/secret_heuristics.hpp"
#include "checks/docker/docker_support.hpp"

namespace constable::checks {
namespace {

TEST(DockerCheckSecretNames, RecognisesCredentials) {
  for (const char* name : {"DB_PASSWORD", "PASSWORD", "db_pass", "MYSQL_ROOT_PASSWD", "API_KEY", "APIKEY",
                           "GITHUB_TOKEN", "npm-token", "AWS_SECRET_ACCESS_KEY", "CLIENT_SECRET", "PRIVATE_KEY",
                           "ACCESS_KEY", "AUTH_TOKEN", "CREDENTIALS", "creds", "clientSecret", "dbPassword"}) {
    EXPECT_TRUE(secrets::is_secret_name(name)) << name;
  }
}

TEST(DockerCheckSecretNames, IgnoresReferencesAndLookalikes) {
  for (const char* name : {"TOKENIZER_VERSION", "TOKEN_FILE", "SECRET_PATH", "AWS_ACCESS_KEY_ID", "PASSWORD_FILE",
                           "SECRETS_DIR", "TOKEN_URL", "PASSWORD_MIN_LENGTH", "TOKEN_TTL", "PASSENGER_VERSION",
                           "BYPASS", "COMPASS", "KEYBOARD", "NODE_VERSION", "PWD", "MONKEY",
                           // switches about a secret (bitnami's ALLOW_EMPTY_PASSWORD=yes)
                           "ALLOW_EMPTY_PASSWORD", "ENABLE_TOKEN_AUTH", "skipTokenVerification"}) {
    EXPECT_FALSE(secrets::is_secret_name(name)) << name;
  }
}

TEST(DockerCheckSecretValues, RecognisesKnownFormats) {
  for (const char* value :
       {"AKIAZ7Q3XG5N2LK4WPRT", "ghp_4f9Kx2LmQ8rT1vW6yZ0aB3cD5eF7gH9iJ2kL", "github_pat_11ABCDEFG0123456789_abcdefXYZ",
        "glpat-Ab3dEf6hIj9kLm2nOp5q", "xoxb-123456789012-abcdefghijkl", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx", "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "pypi-AgEIcHlwaS5vcmcCJGE4", "-----BEGIN RSA PRIVATE KEY-----",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r",
        "postgres://app:Zx81hQ2mPw@db:5432/app"}) {
    EXPECT_TRUE(secrets::secret_value_kind(value).has_value()) << value;
  }
}

TEST(DockerCheckSecretValues, PlaceholdersNeverMatch) {
  for (const char* value :
       {"", "changeme", "AKIAIOSFODNN7EXAMPLE", "<your-token>", "${GITHUB_TOKEN}", "$NPM_TOKEN", "xxxxxxxxxxxx",
        "dummy", "test", "none", "null", "ghp_short", "postgres://app:${DB_PASSWORD}@db:5432/app",
        "postgres://app:changeme@db:5432/app", "https://example.com/path", "3.12.4", "/run/secrets/token"}) {
    EXPECT_FALSE(secrets::secret_value_kind(value).has_value()) << value;
  }
  EXPECT_TRUE(secrets::is_placeholder("${TOKEN}"));
  EXPECT_TRUE(secrets::is_placeholder("<token>"));
  // full-stack-fastapi-template's defaults, documentation slots and truncated examples.
  EXPECT_TRUE(secrets::is_placeholder("changethis"));
  EXPECT_TRUE(secrets::is_placeholder("[password]"));
  EXPECT_TRUE(secrets::is_placeholder("sk-proj-4f9Qx2Lm..."));
  // A name a script or a reader replaces (microservices-demo's GOOGLE_API_KEY_VAL).
  EXPECT_TRUE(secrets::is_placeholder("GOOGLE_API_KEY_VAL"));
  EXPECT_TRUE(secrets::is_placeholder("YOUR_TOKEN"));
  EXPECT_FALSE(secrets::is_placeholder("[a"));
  EXPECT_FALSE(secrets::is_placeholder("s3cr3t-Pa55w0rd"));
  EXPECT_FALSE(secrets::is_placeholder("Q7XK2MPL9TVB4RWN"));  // no underscore: a key's shape, not a name
}

TEST(DockerCheckSupport, DevelopmentDockerfilesByName) {
  for (const char* path : {"Dockerfile.dev", "dev.Dockerfile", "docker/Dockerfile.local", "Dockerfile-test",
                           "Dockerfile_development", "api/test.Dockerfile", "src/Dockerfile.debug",
                           ".devcontainer/Dockerfile"}) {
    EXPECT_TRUE(docker::is_development_dockerfile(path)) << path;
  }
  for (const char* path : {"Dockerfile", "Dockerfile.prod", "dev/Dockerfile", "Dockerfile.devtools",
                           "latest.Dockerfile", "Dockerfile.testing"}) {
    EXPECT_FALSE(docker::is_development_dockerfile(path)) << path;
  }
}

TEST(DockerCheckSupport, MountOptions) {
  EXPECT_EQ(docker::mount_option("type=bind,from=build,source=/out,target=/in", "from"), "build");
  EXPECT_EQ(docker::mount_option("type=cache,target=/root/.cache", "from"), std::nullopt);
}

}  // namespace
}  // namespace constable::checks
