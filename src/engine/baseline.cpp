#include "engine/baseline.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/files.hpp"

namespace constable::engine {

BaselineEntry entry_of(const Finding& f) { return {f.fingerprint, f.check_id, f.path, f.range.line, f.message}; }

std::string baseline_json(const std::vector<Finding>& findings, Date created) {
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["tool"] = "constable";
  doc["created"] = created.to_string();
  auto& list = doc["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : findings) {
    if (f.suppressed()) continue;
    const BaselineEntry e = entry_of(f);
    list.push_back({{"fingerprint", e.fingerprint},
                    {"check", e.check},
                    {"path", e.path},
                    {"line", e.line},
                    {"message", e.message}});
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Result<Baseline> parse_baseline(std::string_view json, const std::string& path) {
  const auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail("not a JSON baseline (constable baseline write)", path);
  // Typed lookups: json::value() throws when a key holds another type ("version": "1").
  if (const auto version = doc.find("version"); version == doc.end() || !version->is_number() || *version != 1)
    return fail("unsupported baseline version (expected 1)", path);
  Baseline baseline;
  if (const auto created = doc.find("created"); created != doc.end() && created->is_string())
    if (auto date = Date::parse(created->get<std::string>())) baseline.created = *date;
  const auto findings = doc.find("findings");
  if (findings == doc.end() || !findings->is_array()) return fail("baseline has no \"findings\" array", path);
  for (std::size_t i = 0; i < findings->size(); ++i) {
    const auto& item = (*findings)[i];
    if (!item.is_object() || !item.contains("fingerprint") || !item["fingerprint"].is_string() ||
        !item.contains("check") || !item["check"].is_string())
      return fail(fmt::format("baseline entry {} needs string \"fingerprint\" and \"check\"", i + 1), path);
    BaselineEntry e;
    e.fingerprint = item["fingerprint"].get<std::string>();
    e.check = item["check"].get<std::string>();
    if (item.contains("path") && item["path"].is_string()) e.path = item["path"].get<std::string>();
    if (item.contains("line") && item["line"].is_number_integer()) e.line = item["line"].get<int>();
    if (item.contains("message") && item["message"].is_string()) e.message = item["message"].get<std::string>();
    baseline.entries.push_back(std::move(e));
  }
  return baseline;
}

Result<Baseline> load_baseline(const std::filesystem::path& file) {
  // A baseline grows with the findings it accepts (about 250 bytes each):
  // this allows some 250,000 of them.
  constexpr std::uintmax_t kMaxBaselineSize = 64ULL * 1024 * 1024;
  auto content = files::read(file, {.max_size = kMaxBaselineSize});
  if (!content) {
    Error error = std::move(content.error().error);
    error.message = fmt::format("cannot read the baseline: {}", error.message);
    return std::unexpected(std::move(error));
  }
  return parse_baseline(*content, file.string());
}

Matching match_findings(const std::vector<Finding>& current, const std::vector<BaselineEntry>& earlier,
                        const std::map<std::string, std::string>& renames) {
  auto renamed = [&](const std::string& path) {
    const auto it = renames.find(path);
    return it == renames.end() ? path : it->second;
  };
  // Earlier entries by (check, fingerprint), each usable once.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> pool;
  for (std::size_t i = 0; i < earlier.size(); ++i) pool[{earlier[i].check, earlier[i].fingerprint}].push_back(i);
  std::vector<bool> used(earlier.size(), false);
  std::vector<bool> matched(current.size(), false);
  std::vector<std::size_t> partner(current.size(), 0);

  auto take = [&](std::size_t c, bool same_path_only) {
    const auto it = pool.find({current[c].check_id, current[c].fingerprint});
    if (it == pool.end()) return;
    for (std::size_t e : it->second) {
      if (used[e] || (same_path_only && renamed(earlier[e].path) != current[c].path)) continue;
      used[e] = true;
      matched[c] = true;
      partner[c] = e;
      return;
    }
  };
  for (std::size_t c = 0; c < current.size(); ++c)
    if (!current[c].suppressed()) take(c, true);
  for (std::size_t c = 0; c < current.size(); ++c)
    if (!current[c].suppressed() && !matched[c]) take(c, false);

  Matching m;
  for (std::size_t c = 0; c < current.size(); ++c) {
    if (current[c].suppressed()) continue;
    if (matched[c]) m.matched.emplace_back(c, partner[c]);
    else m.unmatched_current.push_back(c);
  }
  for (std::size_t e = 0; e < earlier.size(); ++e)
    if (!used[e]) m.unmatched_earlier.push_back(e);
  return m;
}

}  // namespace constable::engine
