#pragma once
// Checksums and encodings Sprig exposes that OpenSSL has no call for:
// Adler-32 (RFC 1950) and standard base64 / base32 with padding as Go
// writes them (SHA-1 and SHA-256 are core/digest.hpp's).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace constable::helm::tmpl {

std::uint32_t adler32(std::string_view data);
std::string base64_encode(std::string_view data);
// nullopt carries Go's error text in `error` ("illegal base64 data at input byte N").
std::optional<std::string> base64_decode(std::string_view data, std::string* error);
std::string base32_encode(std::string_view data);

}  // namespace constable::helm::tmpl
