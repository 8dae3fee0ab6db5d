// The Terraform reader the security and cost checks share.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checks/security/terraform_blocks.hpp"

namespace constable::checks::security {
namespace {

std::vector<std::string> names(std::string_view hcl) {
  std::vector<std::string> out;
  for (const auto& block : terraform_resources(hcl, {"aws_s3_bucket"})) out.emplace_back(block.name);
  return out;
}

TEST(TerraformBlocks, ResourcesInsideBlockCommentsAreLeftOut) {
  const std::string hcl =
      "resource \"aws_s3_bucket\" \"kept\" {\n  bucket = \"a /* not a comment */ b\"\n}\n"
      "/*\nresource \"aws_s3_bucket\" \"retired\" {\n  bucket = \"old\"\n}\n*/\n"
      "# /* a line comment opens nothing\n"
      "resource \"aws_s3_bucket\" \"also_kept\" {\n  bucket = \"new\"\n}\n";
  EXPECT_EQ(names(hcl), (std::vector<std::string>{"kept", "also_kept"}));
}

TEST(TerraformBlocks, AnUnterminatedBlockCommentHidesTheRest) {
  EXPECT_TRUE(names("/* resource \"aws_s3_bucket\" \"x\" {\n}\n").empty());
}

}  // namespace
}  // namespace constable::checks::security
