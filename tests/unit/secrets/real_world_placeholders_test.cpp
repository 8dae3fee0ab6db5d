// Values real repositories hold that are not secrets, each in the shape it was
// found in (a chart collection's READMEs and templates, a spec-kit PowerShell
// script, an operator's tests), next to the secret of the same shape that
// must still be found.

#include <gtest/gtest.h>

#include <string>

#include "unit/secrets/secrets_test_support.hpp"
#include "workspace/provenance.hpp"

namespace constable::secrets::testing {
namespace {

TEST(SecretsRealWorld, AKeyShownCutShortInAReadmeIsAnExample) {
  const std::string begin = "-----BEGIN RSA " + std::string("PRIVATE KEY-----");
  const std::string end = "-----END RSA " + std::string("PRIVATE KEY-----");
  // The first line of a key, then "...": the documentation's example.
  expect_silent("Here is an example of a certificate key:\n\n```text\n" + begin + "\n" +
                    random_string(64, kBase64, 41) + "\n...\n" + end + "\n```\n",
                "charts/apisix/README.md");
  const std::string whole = begin + "\n" + pem_body(5, 41) + end;
  expect_single("```text\n" + whole + "\n```\n", "charts/apisix/README.md", "private-key", whole);
}

TEST(SecretsRealWorld, VariableReferencesAndNamesInUrlsAreNotPasswords) {
  // Kubernetes' dependent environment variables, shell parameter expansion
  // split by the URL's own colon, and the names of what goes there.
  expect_silent("args:\n  - '--sasl.password=$(SCRAM_PASSWORD)'\n", "templates/deployment.yaml");
  expect_silent("wait_for \"redis://${MASTODON_REDIS_PASSWORD:-}@${MASTODON_REDIS_HOST}\"\n", "templates/_helpers.tpl");
  expect_silent("quarkus.mongodb.connection-string: mongodb://DB_USER:DB_PASSWORD@mongodb:27017\n", "README.md");
  const std::string password = random_string(18, kAlnum, 43);
  expect_single("url: redis://app:" + password + "@cache:6379\n", "values.yaml", "database-url", password);
}

TEST(SecretsRealWorld, CommandsAndHashMethodsAreNotSecrets) {
  expect_silent("$authorToken = Get-GitAuthorToken\n$appToken = Get-AppToken\n", "scripts/new-branch.ps1");
  expect_silent("FAB_PASSWORD_HASH_METHOD = \"pbkdf2:sha256\"\n", "templates/configmap.yaml");
  const std::string token = random_string(24, kPassword, 47);
  expect_single("$appToken = \"" + token + "\"\n", "scripts/new-branch.ps1", "generic-assignment", token);
}

TEST(SecretsRealWorld, TestSourcesAreRecognisedByNameAndPlace) {
  for (const char* path : {"provider/oci/oci_test.go", "tests/conftest.py", "app/test_orders.py", "web/cart.test.tsx",
                           "web/cart.spec.ts", "src/test/java/OrdersTest.java", "spec/models/order_spec.rb",
                           "internal/__tests__/key.pem"})
    EXPECT_TRUE(workspace::is_test_source(path)) << path;
  for (const char* path : {"provider/oci/oci.go", "app/orders.py", "web/cart.tsx", "specs/001-api/contracts/api.yaml",
                           "testing.md", "attestations/latest.json"})
    EXPECT_FALSE(workspace::is_test_source(path)) << path;
}

}  // namespace
}  // namespace constable::secrets::testing
