// `.constable.yaml` is input the repository controls: every problem is
// reported (each with its line), nesting and size are bounded, a symlink out
// of the repository is not followed, and messages never quote a secret whole.

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "engine/config.hpp"
#include "support/test_support.hpp"

namespace constable::engine {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(EngineConfigUntrusted, ReportsEveryErrorWithItsLine) {
  const auto config = parse_config(
      "constitutoin: x.md\n"            // 1: unknown key
      "fail_on: sometimes\n"            // 2: bad severity
      "sprint_days: -3\n"               // 3: not a positive integer
      "docker:\n"
      "  registries: [x]\n"             // 5: unknown key
      "waivers:\n"
      "  - check: docker/healthcheck\n"  // 7: waiver without reason
      "    owner: me\n"
      "    expires: 2027-02-30\n",       // 9: bad date
      "repo/.constable.yaml");
  ASSERT_FALSE(config);
  const Error& error = config.error();
  EXPECT_EQ(error.path, "repo/.constable.yaml");
  EXPECT_EQ(error.line, 1) << "the first error is the error's own location";
  const std::string all = error.to_string();
  EXPECT_NE(all.find("repo/.constable.yaml:1:1: unknown key 'constitutoin'"), std::string::npos) << all;
  EXPECT_NE(all.find("repo/.constable.yaml:2:10: 'fail_on' must be critical"), std::string::npos) << all;
  EXPECT_NE(all.find("repo/.constable.yaml:3:14: 'sprint_days' must be a positive integer"), std::string::npos) << all;
  EXPECT_NE(all.find("repo/.constable.yaml:5:3: unknown key 'registries'"), std::string::npos) << all;
  EXPECT_NE(all.find("repo/.constable.yaml:7:5: waiver is missing 'reason'"), std::string::npos) << all;
  EXPECT_NE(all.find("repo/.constable.yaml:9:14: 'expires' must be a date"), std::string::npos) << all;
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 5) << "one line per error:\n" << all;
}

TEST(EngineConfigUntrusted, DeepNestingIsALocatedErrorNotACrash) {
  std::string yaml = "exclude: ";
  for (int i = 0; i < 100000; ++i) yaml += '[';
  const auto config = parse_config(yaml, ".constable.yaml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().line, 1);
  EXPECT_GT(config.error().column, 1);
  EXPECT_NE(config.error().message.find("nesting deeper than"), std::string::npos) << config.error().to_string();

  std::string block = "docker:\n";
  for (std::size_t i = 1; i < 1000; ++i) block += std::string(i, ' ') + "k:\n";
  const auto deep_block = parse_config(block, ".constable.yaml");
  ASSERT_FALSE(deep_block);
  EXPECT_GT(deep_block.error().line, 1) << deep_block.error().to_string();
}

TEST(EngineConfigUntrusted, DuplicateKeysAndExtraDocumentsAreErrors) {
  const auto duplicate = parse_config("sprint_days: 7\nsprint_days: 9\n", "c.yaml");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().line, 2);
  EXPECT_NE(duplicate.error().message.find("duplicate key"), std::string::npos) << duplicate.error().message;

  const auto two = parse_config("sprint_days: 7\n---\nsprint_days: 9\n", "c.yaml");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().line, 2);
  EXPECT_NE(two.error().message.find("single YAML document"), std::string::npos) << two.error().message;
}

TEST(EngineConfigUntrusted, ThousandsOfErrorsAreCounted) {
  std::string yaml;
  for (int i = 0; i < 20000; ++i) yaml += "bogus: 1\n";  // 20,000 unknown keys (and duplicates)
  const auto config = parse_config(yaml, "c.yaml");
  ASSERT_FALSE(config);
  const std::string all = config.error().to_string();
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 50) << "a screenful, then a count";
  const auto last_line = all.substr(all.rfind('\n') + 1);
  ASSERT_TRUE(last_line.starts_with("c.yaml: ") && last_line.ends_with(" more errors not shown")) << last_line;
  EXPECT_GE(std::stoi(last_line.substr(8)), 19950) << "at least the unknown keys not shown: " << last_line;
}

TEST(EngineConfigUntrusted, MessagesNeverQuoteASecretWhole) {
  const std::string key = "AKIAIOSFODNN7EXAMPLE";
  const std::string hash = "$6$rounds=5000$saltsaltsalt$qwertyuiopasdfghjklzxcvbnm0123456789";
  const auto config = parse_config(key + ": 1\nfail_on: " + hash + "\n", "c.yaml");
  ASSERT_FALSE(config);
  const std::string all = config.error().to_string();
  EXPECT_EQ(all.find(key), std::string::npos) << all;
  EXPECT_EQ(all.find(hash), std::string::npos) << all;
  EXPECT_EQ(all.find("saltsalt"), std::string::npos) << all;
  EXPECT_NE(all.find("(20 chars)"), std::string::npos) << "redacted, with its length: " << all;
  // A short, ordinary typo is still quoted, so that it can be fixed.
  const auto typo = parse_config("constitutoin: x.md\n", "c.yaml");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("'constitutoin'"), std::string::npos);
}

TEST(EngineConfigUntrusted, NullsAreNotStrings) {
  const auto config = parse_config("constitution:\nexclude:\n", "c.yaml");
  ASSERT_FALSE(config);
  const std::string all = config.error().to_string();
  EXPECT_NE(all.find("'constitution' must be a string"), std::string::npos) << all;
  EXPECT_NE(all.find("'exclude' must be a list of strings"), std::string::npos) << all;
}

class EngineConfigFile : public ::testing::Test {
 protected:
  TempDir repo_;
  TempDir outside_;
};

TEST_F(EngineConfigFile, SymlinkOutOfTheRepositoryIsNotFollowedNorEchoed) {
  const std::string secret_line = "root:$6$Zx9Qv$Kq1xQmW9pE7sF3tY6uI0oP2aS5dG8hJ1kL4zX7cV0bN3m:19000:0:99999:7:::";
  const auto shadow = outside_.write("shadow", secret_line + "\n");
  fs::create_symlink(shadow, repo_.path() / ".constable.yaml");
  const auto config = load_config(repo_.path() / ".constable.yaml", repo_.path());
  ASSERT_FALSE(config);
  const std::string message = config.error().to_string();
  EXPECT_NE(message.find("outside the repository"), std::string::npos) << message;
  EXPECT_EQ(message.find("Zx9Qv"), std::string::npos) << message;
  EXPECT_EQ(message.find("root:"), std::string::npos) << message;
}

TEST_F(EngineConfigFile, SymlinkInsideTheRepositoryIsFollowed) {
  repo_.write("config/constable.yaml", "sprint_days: 7\n");
  fs::create_symlink("config/constable.yaml", repo_.path() / ".constable.yaml");
  const auto config = load_config(repo_.path() / ".constable.yaml", repo_.path());
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->sprint_days, 7);
}

TEST_F(EngineConfigFile, FifoDeviceAndHugeFilesAreRefused) {
  const auto fifo = repo_.path() / ".constable.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto from_fifo = load_config(fifo, repo_.path());  // would block forever in open()
  ASSERT_FALSE(from_fifo);
  EXPECT_NE(from_fifo.error().message.find("FIFO"), std::string::npos) << from_fifo.error().message;

  fs::remove(fifo);
  fs::create_symlink("/dev/zero", fifo);
  const auto from_device = load_config(fifo);  // even unconfined (--config /dev/zero)
  ASSERT_FALSE(from_device);
  EXPECT_NE(from_device.error().message.find("not a regular file"), std::string::npos) << from_device.error().message;

  const auto big = repo_.write("big.yaml", "sprint_days: 7\n");
  fs::resize_file(big, kMaxConfigSize + 1);
  const auto from_big = load_config(big, repo_.path());
  ASSERT_FALSE(from_big);
  EXPECT_NE(from_big.error().message.find("too large"), std::string::npos) << from_big.error().message;
}

}  // namespace
}  // namespace constable::engine
