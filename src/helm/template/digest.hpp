#pragma once
// Checksums and encodings Sprig exposes: SHA-1, SHA-256 (FIPS 180-4),
// Adler-32 (RFC 1950) and standard base64 / base32 with padding. Written
// here to avoid an OpenSSL dependency.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace constable::helm::tmpl {

std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
std::uint32_t adler32(std::string_view data);
std::string base64_encode(std::string_view data);
// nullopt carries Go's error text in `error` ("illegal base64 data at input byte N").
std::optional<std::string> base64_decode(std::string_view data, std::string* error);
std::string base32_encode(std::string_view data);

}  // namespace constable::helm::tmpl
