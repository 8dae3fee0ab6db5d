#include "helm/template/digest.hpp"

#include <fmt/format.h>

namespace constable::helm::tmpl {

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::uint32_t adler32(std::string_view data) {
  std::uint32_t a = 1, b = 0;
  for (char c : data) {
    a = (a + static_cast<unsigned char>(c)) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

std::string base64_encode(std::string_view data) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16) |
                            (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8) |
                            static_cast<unsigned char>(data[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i < data.size()) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
    if (i + 1 < data.size()) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < data.size() ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view data, std::string* error) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t i = 0;
  std::size_t padding = 0;
  for (; i < data.size(); ++i) {
    const char c = data[i];
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      padding = i;
      break;
    }
    const int v = value(c);
    if (v < 0) {
      if (error) *error = fmt::format("illegal base64 data at input byte {}", i);
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Go's StdEncoding requires full quanta with correct padding.
  std::size_t meaningful = 0;
  for (std::size_t k = 0; k < (padding ? padding : data.size()); ++k)
    if (data[k] != '\r' && data[k] != '\n') ++meaningful;
  std::size_t pad_count = 0;
  if (padding)
    for (std::size_t k = padding; k < data.size(); ++k) {
      if (data[k] == '=') ++pad_count;
      else if (data[k] != '\r' && data[k] != '\n') {
        if (error) *error = fmt::format("illegal base64 data at input byte {}", k);
        return std::nullopt;
      }
    }
  if ((meaningful + pad_count) % 4 != 0 || meaningful % 4 == 1 || pad_count > 2) {
    if (error) *error = fmt::format("illegal base64 data at input byte {}", data.size() - (data.size() % 4 == 0 ? 4 : data.size() % 4));
    return std::nullopt;
  }
  return out;
}

std::string base32_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  std::uint64_t acc = 0;
  int bits = 0;
  for (char c : data) {
    acc = (acc << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kAlphabet[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (5 - bits)) & 31];
  while (out.size() % 8 != 0) out += '=';
  return out;
}

}  // namespace constable::helm::tmpl
