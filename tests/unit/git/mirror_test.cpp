#include "git/mirror.hpp"

#include <gtest/gtest.h>

namespace constable::git {
namespace {

TEST(RedactUrl, HidesPasswordsAndTokensButNotHostsOrPaths) {
  EXPECT_EQ(redact_url("https://ci:tok3n@github.com/acme/api.git"), "https://ci:***@github.com/acme/api.git");
  EXPECT_EQ(redact_url("https://ghp_abcdef@github.com/acme/api"), "https://***@github.com/acme/api");
  EXPECT_EQ(redact_url("https://x-access-token:abc@github.com/a/b"), "https://x-access-token:***@github.com/a/b");
  EXPECT_EQ(redact_url("ssh://git@github.com/acme/api.git"), "ssh://git@github.com/acme/api.git");
  EXPECT_EQ(redact_url("https://github.com/acme/api.git"), "https://github.com/acme/api.git");
  EXPECT_EQ(redact_url("https://github.com/acme/a@b"), "https://github.com/acme/a@b");  // '@' in the path
  EXPECT_EQ(redact_url("git@github.com:acme/api.git"), "git@github.com:acme/api.git");  // scp-like, no password
  EXPECT_EQ(redact_url("file:///srv/git/api"), "file:///srv/git/api");
}

}  // namespace
}  // namespace constable::git
