#include "audit/fleet.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "git/mirror.hpp"

namespace constable::audit {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFleetFileBytes = 16 * 1024 * 1024;

bool is_url(std::string_view source) {
  return source.find("://") != std::string_view::npos || source.starts_with("git@");
}

bool is_fleet_file(std::string_view source) {
  return (source.ends_with(".yaml") || source.ends_with(".yml")) && fs::is_regular_file(fs::path(source));
}

// A repository from a path or URL as given.
Repository repository_at(std::string_view source, const fs::path& path, const fs::path& clones) {
  Repository r;
  std::error_code ec;
  if (is_url(source)) {
    r.url = std::string(source);
    r.source = git::redact_url(source);  // the store and messages never hold its token
    r.path = clone_path(source, clones);
    r.name = r.path.filename().string();
    return r;
  }
  r.path = fs::weakly_canonical(fs::absolute(path, ec), ec);
  r.source = r.path.string();
  r.name = r.path.filename().string();
  if (!fs::is_directory(r.path, ec)) r.error = "no such directory";
  return r;
}

// Names that collide take their parents' names until they differ.
void make_names_unique(std::vector<Repository>& repositories) {
  for (int depth = 1; depth < 64; ++depth) {
    std::map<std::string, int> seen;
    for (const auto& r : repositories) ++seen[r.name];
    bool collided = false;
    for (auto& r : repositories) {
      if (seen[r.name] < 2 || r.path.empty()) continue;
      fs::path parent = r.path;
      for (int i = 0; i < depth && parent.has_parent_path() && parent != parent.root_path(); ++i)
        parent = parent.parent_path();
      const std::string prefix = parent.filename().string();
      if (prefix.empty() || r.name.starts_with(prefix + "/")) continue;
      r.name = prefix + "/" + r.name;
      collided = true;
    }
    if (!collided) return;
  }
}

}  // namespace

fs::path clone_path(std::string_view url, const fs::path& clones) {
  std::string_view rest = url;
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  if (const auto at = rest.find('@'); at != std::string_view::npos && at < rest.find('/')) rest.remove_prefix(at + 1);
  fs::path out = clones;
  for (std::string_view part : text::split(rest, '/')) {
    if (const auto colon = part.find(':'); colon != std::string_view::npos) {  // git@host:owner/name, host:port
      out /= std::string(part.substr(0, colon));
      part = part.substr(colon + 1);
    }
    if (part.ends_with(".git")) part.remove_suffix(4);
    if (part.empty() || part == "." || part == "..") continue;
    std::string safe;
    for (const char c : part) safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
    out /= safe;
  }
  return out;
}

Result<std::vector<Repository>> read_fleet(const fs::path& file, const fs::path& clones) {
  auto text = files::read(file, {.max_size = kMaxFleetFileBytes, .confine_to = {}, .display = file.string()});
  if (!text) return std::unexpected(text.error().error);
  const yaml::Stream stream = yaml::parse(*text);
  if (!stream.ok() || stream.documents.empty() || stream.documents.front().root == nullptr) {
    const int line = stream.errors.empty() ? 1 : stream.errors.front().mark.line;
    return fail(stream.errors.empty() ? std::string("empty fleet file") : stream.errors.front().message, file.string(),
                line);
  }
  const yaml::Node* root = stream.documents.front().root;
  const yaml::Node* list = root->is_mapping() ? root->get("repositories") : nullptr;
  if (list == nullptr || !list->is_sequence())
    return fail("expected 'repositories:', a list of {path, name, team, constitution}", file.string(),
                root->start.line);
  const fs::path base = file.parent_path();
  std::vector<Repository> out;
  for (const yaml::Node* item : list->items) {
    if (!item->is_mapping()) return fail("a repository is a mapping with 'path'", file.string(), item->start.line);
    for (const auto& entry : item->entries) {
      const std::string_view key = entry.key->str();
      if (key != "path" && key != "name" && key != "team" && key != "constitution" && key != "branch")
        return fail(fmt::format("unknown key '{}' (a repository has path, name, team, branch and constitution)", key),
                    file.string(), entry.key->start.line);
      if (!entry.value->is_scalar() || entry.value->is_null())
        return fail(fmt::format("'{}' must be a string", key), file.string(), entry.value->start.line);
    }
    const yaml::Node* path = item->get("path");
    if (path == nullptr) return fail("a repository needs 'path'", file.string(), item->start.line);
    const std::string given(path->str());
    Repository r = repository_at(given, is_url(given) ? fs::path() : base / given, clones);
    if (const yaml::Node* branch = item->get("branch")) r.branch = std::string(branch->str());
    if (const yaml::Node* name = item->get("name")) r.name = std::string(name->str());
    if (const yaml::Node* team = item->get("team")) r.team = std::string(team->str());
    if (const yaml::Node* constitution = item->get("constitution")) r.constitution = base / constitution->str();
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Repository>> resolve_sources(const std::vector<std::string>& sources, const fs::path& clones) {
  std::vector<Repository> out;
  for (const std::string& source : sources) {
    if (is_fleet_file(source)) {
      auto fleet = read_fleet(source, clones);
      if (!fleet) return std::unexpected(fleet.error());
      for (auto& r : *fleet) out.push_back(std::move(r));
    } else {
      out.push_back(repository_at(source, fs::path(source), clones));
    }
  }
  // The same repository given twice is audited once.
  std::set<std::string> seen;
  std::erase_if(out,
                [&](const Repository& r) { return !seen.insert(r.path.string()).second; });
  make_names_unique(out);
  return out;
}

Result<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  Shard shard;
  const auto number = [](std::string_view digits, unsigned& value) {
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return ec == std::errc() && end == digits.data() + digits.size() && !digits.empty();
  };
  if (slash == std::string_view::npos || !number(text.substr(0, slash), shard.index) ||
      !number(text.substr(slash + 1), shard.count) || shard.count == 0 || shard.index >= shard.count)
    return fail(fmt::format("--shard must be I/N with 0 <= I < N (e.g. 0/4), got '{}'", text));
  return shard;
}

bool in_shard(std::string_view repository, const Shard& shard) {
  return text::fnv1a64(repository) % shard.count == shard.index;
}

}  // namespace constable::audit
