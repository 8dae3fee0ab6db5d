// SHA-1 and SHA-256 through OpenSSL, against FIPS 180 test vectors, and the
// framing of the piecewise builder.

#include <gtest/gtest.h>

#include <string>

#include "core/digest.hpp"

namespace constable::digest {
namespace {

TEST(Digest, Sha256OfKnownInputs) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(hex(sha256("abc")), sha256_hex("abc"));
}

TEST(Digest, Sha1OfKnownInputs) {
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

TEST(Digest, BuilderFramesEachPiece) {
  EXPECT_NE(Sha256Builder().add("ab").add("c").finish(), Sha256Builder().add("a").add("bc").finish());
  EXPECT_EQ(Sha256Builder().add("ab").add(7).finish(), Sha256Builder().add("ab").add(7).finish());
  Sha256Builder reused;
  const auto first = reused.add("x").finish();
  EXPECT_EQ(reused.add("x").finish(), first) << "finish() starts the builder afresh";
}

}  // namespace
}  // namespace constable::digest
