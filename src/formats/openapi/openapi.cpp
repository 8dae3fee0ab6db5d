#include "formats/openapi/openapi.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <set>

namespace constable::openapi {

std::optional<Version> parse_version(std::string_view text) {
  Version v;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v.major);
  if (ec != std::errc{} || p == end || *p != '.') return std::nullopt;
  auto [q, ec2] = std::from_chars(p + 1, end, v.minor);
  if (ec2 != std::errc{}) return std::nullopt;
  if (q != end && *q != '.') return std::nullopt;
  return v;
}

const yaml::Entry* version_entry(const yaml::Node* root) {
  if (root == nullptr || !root->is_mapping()) return nullptr;
  if (const auto* e = root->find("openapi"); e != nullptr && e->value->is_scalar()) return e;
  if (const auto* e = root->find("swagger"); e != nullptr && e->value->is_scalar()) return e;
  return nullptr;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One pointer token: %-escapes (pointers live in URI fragments), then ~1 -> '/', ~0 -> '~'.
std::string decode_token(std::string_view token) {
  std::string unescaped;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '%' && i + 2 < token.size()) {
      const int hi = hex_value(token[i + 1]), lo = hex_value(token[i + 2]);
      if (hi >= 0 && lo >= 0) {
        unescaped.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    unescaped.push_back(token[i]);
  }
  std::string out;
  for (std::size_t i = 0; i < unescaped.size(); ++i) {
    if (unescaped[i] == '~' && i + 1 < unescaped.size() && (unescaped[i + 1] == '0' || unescaped[i + 1] == '1')) {
      out.push_back(unescaped[i + 1] == '1' ? '/' : '~');
      ++i;
    } else {
      out.push_back(unescaped[i]);
    }
  }
  return out;
}

}  // namespace

const yaml::Node* walk_pointer(const yaml::Node* root, std::string_view pointer) {
  const yaml::Node* node = root;
  if (pointer.empty()) return node;
  if (pointer.front() != '/') return nullptr;
  pointer.remove_prefix(1);
  while (node != nullptr) {
    const auto slash = pointer.find('/');
    const std::string token = decode_token(pointer.substr(0, slash));
    if (node->is_mapping()) {
      node = node->get(token);
    } else if (node->is_sequence()) {
      std::size_t index = 0;
      auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc{} || p != token.data() + token.size() || index >= node->items.size()) return nullptr;
      node = node->items[index];
    } else {
      return nullptr;
    }
    if (slash == std::string_view::npos) break;
    pointer.remove_prefix(slash + 1);
  }
  return node;
}

std::string join_relative(std::string_view from_document, std::string_view reference) {
  namespace fs = std::filesystem;
  const fs::path base = fs::path(std::string(from_document)).parent_path();
  return (base / std::string(reference)).lexically_normal().generic_string();
}

Resolver::Resolver(std::string root_path, const yaml::Node* root, Loader loader)
    : root_path_(std::move(root_path)), loader_(std::move(loader)), root_(root) {}

std::optional<std::string_view> Resolver::reference_of(const yaml::Node* node) {
  if (node == nullptr || !node->is_mapping()) return std::nullopt;
  const yaml::Node* ref = node->get("$ref");
  if (ref == nullptr || !ref->is_scalar()) return std::nullopt;
  return std::string_view(ref->value);
}

Result<const yaml::Node*> Resolver::document_root(const std::string& path) {
  if (path == root_path_) return root_;
  if (const auto it = loaded_.find(path); it != loaded_.end())
    return it->second->documents.empty() ? nullptr : it->second->documents.front().root;
  if (const auto it = failed_.find(path); it != failed_.end()) return fail(it->second);
  const std::optional<std::string> text = loader_ ? loader_(path) : std::nullopt;
  if (!text) {
    failed_[path] = fmt::format("cannot read '{}'", path);
    return fail(failed_[path]);
  }
  if (text->size() > kMaxDocumentBytes) {
    failed_[path] = fmt::format("'{}' is larger than {} bytes", path, kMaxDocumentBytes);
    return fail(failed_[path]);
  }
  auto stream = std::make_unique<yaml::Stream>(yaml::parse(*text));
  if (!stream->ok() || stream->documents.empty()) {
    const std::string why = stream->errors.empty() ? "no document" : stream->errors.front().message;
    failed_[path] = fmt::format("'{}' does not parse: {}", path, why);
    return fail(failed_[path]);
  }
  const yaml::Node* root = stream->documents.front().root;
  loaded_[path] = std::move(stream);
  return root;
}

Result<Located> Resolver::resolve(const Located& at) {
  stopped_at_remote_ = false;
  Located current = at;
  std::set<std::pair<std::string, std::string>> seen;  // (document, pointer) visited
  for (int hop = 0; hop < kMaxHops; ++hop) {
    const auto ref = reference_of(current.node);
    if (!ref) return current;
    const std::string_view text = *ref;
    const auto hash = text.find('#');
    const std::string_view file_part = text.substr(0, hash);
    const std::string pointer = hash == std::string_view::npos ? std::string() : std::string(text.substr(hash + 1));
    if (file_part.find("://") != std::string_view::npos || file_part.starts_with("urn:")) {
      stopped_at_remote_ = true;
      return fail(fmt::format("'{}' is a remote reference; only local files are followed", text));
    }
    const std::string document = file_part.empty() ? current.document : join_relative(current.document, file_part);
    if (!seen.emplace(document, pointer).second) return fail(fmt::format("'{}' is part of a reference cycle", text));
    auto root = document_root(document);
    if (!root) return fail(fmt::format("'{}': {}", text, root.error().message));
    const yaml::Node* target = walk_pointer(*root, pointer);
    if (target == nullptr) return fail(fmt::format("'{}' names nothing in '{}'", text, document));
    current = {target, document};
  }
  return fail(fmt::format("more than {} chained references from line {}", kMaxHops, at.node->start.line));
}

std::vector<Operation> operations(const yaml::Node* root, const std::string& root_path, Resolver& resolver) {
  std::vector<Operation> out;
  const yaml::Node* paths = root != nullptr ? root->get("paths") : nullptr;
  if (paths == nullptr || !paths->is_mapping()) return out;
  for (const yaml::Entry& path_entry : paths->entries) {
    if (!path_entry.key->is_scalar()) continue;
    auto item = resolver.resolve({path_entry.value, root_path});
    if (!item || !item->node->is_mapping()) continue;
    for (const yaml::Entry& op : item->node->entries) {
      if (!op.key->is_scalar()) continue;
      for (auto method : kMethods) {
        if (op.key->value != method) continue;
        out.push_back({.path = std::string(path_entry.key->value),
                       .method = std::string(method),
                       .path_entry = &path_entry,
                       .operation_entry = &op,
                       .path_item = item->node,
                       .operation = op.value,
                       .document = item->document});
      }
    }
  }
  return out;
}

}  // namespace constable::openapi
