#include "constitution/diff.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "core/text.hpp"

namespace constable::constitution {

namespace {

// The text with every quantity replaced by '#': equal masks mean only numbers changed.
std::string masked(std::string_view clause_text, const std::vector<Quantity>& found) {
  return normalized_clause_text(replace_quantities(clause_text, found, "#"));
}

double jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 1.0;
  std::size_t common = 0;
  for (const auto& w : a) common += b.contains(w) ? 1 : 0;
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::size_t word_count(std::string_view clause_text) {
  std::size_t n = 0;
  bool in_word = false;
  for (const char c : clause_text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// How binding a keyword is, and whether it requires or forbids.
std::pair<int, bool> strength(Modality m) {
  switch (m) {
    case Modality::may: return {1, true};
    case Modality::should: return {2, true};
    case Modality::should_not: return {2, false};
    case Modality::must_not:
    case Modality::shall_not:
    case Modality::prohibited: return {3, false};
    default: return {3, true};  // MUST, SHALL, REQUIRED, a rule item, a structure
  }
}

Direction modality_direction(Modality before, Modality after) {
  const auto [from, requires_before] = strength(before);
  const auto [to, requires_after] = strength(after);
  if (requires_before != requires_after) return Direction::unknown;  // now forbids what it required
  if (from == to) return Direction::same;
  return to > from ? Direction::tightened : Direction::loosened;
}

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::tightened: return "tightened";
    case Direction::loosened: return "loosened";
    case Direction::same: return "same";
    case Direction::unknown: return "changed";
  }
  return "changed";
}

Bump bump_of(Direction d) {
  switch (d) {
    case Direction::tightened:
    case Direction::unknown: return Bump::major;
    case Direction::loosened: return Bump::minor;
    case Direction::same: return Bump::patch;
  }
  return Bump::major;
}

std::string shortened(std::string_view s) { return text::shorten(s, 70); }

// The path without the document's title: "Kafka Standards > Topic Design".
std::string section_label(const std::vector<std::string>& path) {
  std::string out;
  for (std::size_t i = path.size() > 1 ? 1 : 0; i < path.size(); ++i) out += fmt::format("{}{}", out.empty() ? "" : " > ", path[i]);
  return out.empty() ? std::string("(top)") : out;
}

bool under_principles(const std::vector<std::string>& path) {
  for (std::size_t i = 0; i + 1 < path.size(); ++i)
    if (text::icontains(path[i], "principle")) return true;
  return false;
}

// What changing `before` into `after` is, and what it requires.
ClauseChange compare(const Clause& before, const Clause& after) {
  ClauseChange change;
  change.before = &before;
  change.after = &after;
  const bool same_text = normalized_clause_text(before.text) == normalized_clause_text(after.text);
  if (same_text) {
    if (before.section_path == after.section_path) return change;  // only its place among others moved
    change.kind = ChangeKind::moved;
    change.bump = Bump::patch;
    change.why = fmt::format("moved from '{}' to '{}'", section_label(before.section_path),
                             section_label(after.section_path));
    return change;
  }
  const auto old_quantities = quantities(before.text);
  const auto new_quantities = quantities(after.text);
  if (!old_quantities.empty() && old_quantities.size() == new_quantities.size() &&
      masked(before.text, old_quantities) == masked(after.text, new_quantities)) {
    change.kind = ChangeKind::parameter_changed;
    for (std::size_t i = 0; i < old_quantities.size(); ++i) {
      if (old_quantities[i].text == new_quantities[i].text) continue;
      const Direction d = direction(old_quantities[i], new_quantities[i]);
      change.parameters.push_back({old_quantities[i].text, new_quantities[i].text, d});
      if (bump_of(d) > change.bump) {
        change.bump = bump_of(d);
        change.why = fmt::format("a parameter {}: {} → {}", direction_name(d), old_quantities[i].text,
                                 new_quantities[i].text);
      }
    }
  } else {
    change.kind = ChangeKind::reworded;
    // Guidance "materially expanded": half as many words again.
    const bool expanded = 2 * word_count(after.text) >= 3 * word_count(before.text);
    change.bump = expanded ? Bump::minor : Bump::patch;
    change.why = expanded ? "guidance expanded" : "reworded";
  }
  change.modality = modality_direction(before.modality, after.modality);
  if (change.modality != Direction::same) {
    if (change.kind == ChangeKind::reworded) change.kind = ChangeKind::modality_changed;
    const Bump by_keyword = bump_of(change.modality);
    if (by_keyword > change.bump || change.kind == ChangeKind::modality_changed) {
      change.bump = std::max(change.bump, by_keyword);
      change.why = fmt::format("the keyword {}: {} → {}", direction_name(change.modality), to_string(before.modality),
                               to_string(after.modality));
    }
  }
  return change;
}

struct SemVer {
  long major = 0, minor = 0, patch = 0;
  friend auto operator<=>(const SemVer&, const SemVer&) = default;
};

std::optional<SemVer> semver(std::string_view text) {
  // A pre-release or build suffix ("2.0.0-rc.1") does not change the bump.
  static const RE2 pattern(R"(v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:[-+][0-9A-Za-z.-]*)?)");
  SemVer v;
  if (!RE2::FullMatch(re2::StringPiece(text.data(), text.size()), pattern, &v.major, &v.minor, &v.patch))
    return std::nullopt;
  return v;
}

}  // namespace

std::string normalized_clause_text(std::string_view clause_text) {
  std::string out = text::to_lower(text::trim(clause_text));
  while (!out.empty() && (out.back() == '.' || out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string_view to_string(Bump bump) {
  switch (bump) {
    case Bump::none: return "none";
    case Bump::patch: return "PATCH";
    case Bump::minor: return "MINOR";
    case Bump::major: return "MAJOR";
  }
  return "none";
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::reworded: return "reworded";
    case ChangeKind::parameter_changed: return "parameter changed";
    case ChangeKind::modality_changed: return "keyword changed";
    case ChangeKind::moved: return "moved";
  }
  return "changed";
}

std::optional<std::string> bumped(std::string_view version, Bump bump) {
  auto v = semver(version);
  if (!v) return std::nullopt;
  switch (bump) {
    case Bump::none: break;
    case Bump::patch: ++v->patch; break;
    case Bump::minor: v->patch = 0; ++v->minor; break;
    case Bump::major: v->patch = 0; v->minor = 0; ++v->major; break;
  }
  return fmt::format("{}.{}.{}", v->major, v->minor, v->patch);
}

std::optional<Bump> bump_between(std::string_view before, std::string_view after) {
  const auto from = semver(before);
  const auto to = semver(after);
  if (!from || !to || *to < *from) return std::nullopt;
  if (to->major != from->major) return Bump::major;
  if (to->minor != from->minor) return Bump::minor;
  if (to->patch != from->patch) return Bump::patch;
  return Bump::none;
}

ConstitutionDiff diff(const Constitution& before, const Constitution& after) {
  ConstitutionDiff result;
  const auto& old_clauses = before.clauses;
  const auto& new_clauses = after.clauses;
  std::vector<int> partner_of_new(new_clauses.size(), -1);
  std::vector<bool> old_used(old_clauses.size(), false);
  const auto pair = [&](std::size_t o, std::size_t n) {
    old_used[o] = true;
    partner_of_new[n] = static_cast<int>(o);
  };
  // 1. The same id. Ids keep the first eight words, so a clause whose
  // number changed past them keeps its id and is compared below.
  std::map<std::string_view, std::size_t> old_by_id;
  for (std::size_t o = 0; o < old_clauses.size(); ++o) old_by_id.emplace(old_clauses[o].id, o);
  for (std::size_t n = 0; n < new_clauses.size(); ++n)
    if (const auto it = old_by_id.find(new_clauses[n].id); it != old_by_id.end()) pair(it->second, n);
  // 2. The same text elsewhere (moved, or its id shifted by a "-2"), then
  // 3. the same text but its numbers. First come, first paired: document order.
  const auto pair_by = [&](auto key) {
    std::multimap<std::string, std::size_t> old_by_key;
    for (std::size_t o = 0; o < old_clauses.size(); ++o)
      if (!old_used[o]) old_by_key.emplace(key(old_clauses[o]), o);
    for (std::size_t n = 0; n < new_clauses.size(); ++n) {
      if (partner_of_new[n] >= 0) continue;
      const auto it = old_by_key.find(key(new_clauses[n]));
      if (it == old_by_key.end()) continue;
      pair(it->second, n);
      old_by_key.erase(it);
    }
  };
  pair_by([](const Clause& c) { return normalized_clause_text(c.text); });
  pair_by([](const Clause& c) { return masked(c.text, quantities(c.text)); });
  // 4. Rewordings: the most similar pairs first, at least half their words shared.
  std::vector<std::size_t> old_left;
  std::vector<std::size_t> new_left;
  for (std::size_t o = 0; o < old_clauses.size(); ++o)
    if (!old_used[o]) old_left.push_back(o);
  for (std::size_t n = 0; n < new_clauses.size(); ++n)
    if (partner_of_new[n] < 0) new_left.push_back(n);
  std::vector<std::set<std::string>> old_words;
  for (std::size_t o : old_left) old_words.push_back(clause_words(old_clauses[o].text));
  std::vector<std::tuple<double, std::size_t, std::size_t>> candidates;  // similarity, new, old
  for (std::size_t j = 0; j < new_left.size(); ++j) {
    const auto w = clause_words(new_clauses[new_left[j]].text);
    for (std::size_t i = 0; i < old_left.size(); ++i)
      if (const double similarity = jaccard(old_words[i], w); similarity >= 0.5)
        candidates.emplace_back(similarity, new_left[j], old_left[i]);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    return std::tie(std::get<1>(a), std::get<2>(a)) < std::tie(std::get<1>(b), std::get<2>(b));
  });
  for (const auto& [similarity, n, o] : candidates)
    if (partner_of_new[n] < 0 && !old_used[o]) pair(o, n);

  std::vector<ClauseChange> changes;
  for (std::size_t o = 0; o < old_clauses.size(); ++o) {
    if (old_used[o]) continue;
    ClauseChange removed;
    removed.kind = ChangeKind::removed;
    removed.before = &old_clauses[o];
    removed.bump = Bump::major;
    removed.why = fmt::format("a clause removed: \"{}\"", shortened(old_clauses[o].text));
    changes.push_back(std::move(removed));
  }
  for (std::size_t n = 0; n < new_clauses.size(); ++n) {
    if (partner_of_new[n] >= 0) {
      ClauseChange change = compare(old_clauses[static_cast<std::size_t>(partner_of_new[n])], new_clauses[n]);
      if (change.bump != Bump::none) changes.push_back(std::move(change));
      continue;
    }
    ClauseChange added;
    added.kind = ChangeKind::added;
    added.after = &new_clauses[n];
    added.bump = Bump::minor;
    added.why = fmt::format("a clause added: \"{}\"", shortened(new_clauses[n].text));
    changes.push_back(std::move(added));
  }
  result.clauses = std::move(changes);

  // Sections by their heading path.
  std::set<std::vector<std::string>> old_paths;
  std::set<std::vector<std::string>> new_paths;
  for (const Section& s : before.sections) old_paths.insert(s.path);
  for (const Section& s : after.sections) new_paths.insert(s.path);
  for (const Section& s : before.sections)
    if (!new_paths.contains(s.path)) result.sections.push_back({false, s.path, s.line, under_principles(s.path)});
  for (const Section& s : after.sections)
    if (!old_paths.contains(s.path)) result.sections.push_back({true, s.path, s.line, under_principles(s.path)});

  // The bump: the first change (in the order listed) that requires the most.
  const auto consider = [&](Bump bump, const std::string& why) {
    if (bump > result.required) {
      result.required = bump;
      result.required_because = why;
    }
  };
  for (const SectionChange& s : result.sections)
    if (s.principle && !s.added) consider(Bump::major, fmt::format("a principle removed: {}", section_label(s.path)));
  for (const ClauseChange& c : result.clauses) consider(c.bump, c.why);
  for (const SectionChange& s : result.sections)
    if (s.added) consider(Bump::minor, fmt::format("a section added: {}", section_label(s.path)));

  if (before.version) result.version_before = before.version->version;
  if (after.version) result.version_after = after.version->version;
  if (!result.version_before.empty() && !result.version_after.empty())
    result.made = bump_between(result.version_before, result.version_after);
  if (after.sync_impact) {
    result.pending_templates = after.sync_impact->pending_templates;
    result.follow_up = after.sync_impact->follow_up;
  }
  return result;
}

std::string render_diff_text(const ConstitutionDiff& change) {
  std::string out = fmt::format("constitution diff: {} → {}\n", change.version_before.empty() ? "(no version)" : change.version_before,
                                change.version_after.empty() ? "(no version)" : change.version_after);
  for (const SectionChange& s : change.sections)
    out += fmt::format("  section {:<8} line {}: {}\n", s.added ? "added" : "removed", s.line, section_label(s.path));
  for (const ClauseChange& c : change.clauses) {
    const Clause& shown = c.after != nullptr ? *c.after : *c.before;
    std::string where = fmt::format("line {}", shown.line);
    if (c.before != nullptr && c.after != nullptr && c.before->line != c.after->line)
      where += fmt::format(" (was {})", c.before->line);
    std::string detail;
    switch (c.kind) {
      case ChangeKind::parameter_changed:
        for (const auto& p : c.parameters)
          detail += fmt::format("{}{} → {} ({})", detail.empty() ? ": " : ", ", p.before, p.after, direction_name(p.direction));
        break;
      case ChangeKind::reworded:
      case ChangeKind::modality_changed:
        detail = fmt::format(", was \"{}\"", shortened(c.before->text));
        if (c.kind == ChangeKind::modality_changed) detail += fmt::format(" ({})", c.why);
        break;
      case ChangeKind::moved: detail = fmt::format(" ({})", c.why); break;
      default: break;
    }
    out += fmt::format("  {:<17} {} [{}] \"{}\"{}\n", to_string(c.kind), where, section_label(shown.section_path),
                       shortened(shown.text), detail);
  }
  if (change.clauses.empty() && change.sections.empty()) out += "  no clause or section changed\n";
  out += fmt::format("Required bump: {}", to_string(change.required));
  if (change.required != Bump::none) out += fmt::format(" ({})", change.required_because);
  if (change.made)
    out += fmt::format("; made: {} ({} → {}){}", to_string(*change.made), change.version_before, change.version_after,
                       change.enough() ? "" : ": not enough");
  else
    out += "; made: unknown (a version footer is missing, unreadable or goes down)";
  out += "\n";
  return out;
}

std::string render_diff_json(const ConstitutionDiff& change) {
  nlohmann::ordered_json doc;
  doc["version_before"] = change.version_before;
  doc["version_after"] = change.version_after;
  doc["required"] = to_string(change.required);
  doc["required_because"] = change.required_because;
  doc["made"] = change.made ? nlohmann::ordered_json(to_string(*change.made)) : nlohmann::ordered_json(nullptr);
  doc["enough"] = change.enough();
  auto& sections = doc["sections"] = nlohmann::ordered_json::array();
  for (const SectionChange& s : change.sections)
    sections.push_back({{"change", s.added ? "added" : "removed"}, {"path", s.path}, {"line", s.line}, {"principle", s.principle}});
  auto& clauses = doc["clauses"] = nlohmann::ordered_json::array();
  for (const ClauseChange& c : change.clauses) {
    nlohmann::ordered_json entry = {{"change", to_string(c.kind)}, {"bump", to_string(c.bump)}, {"why", c.why}};
    if (c.before != nullptr)
      entry["before"] = {{"id", c.before->id}, {"line", c.before->line}, {"section", c.before->section_path},
                         {"text", c.before->text}, {"keyword", to_string(c.before->modality)}};
    if (c.after != nullptr)
      entry["after"] = {{"id", c.after->id}, {"line", c.after->line}, {"section", c.after->section_path},
                        {"text", c.after->text}, {"keyword", to_string(c.after->modality)}};
    if (!c.parameters.empty()) {
      auto& parameters = entry["parameters"] = nlohmann::ordered_json::array();
      for (const auto& p : c.parameters)
        parameters.push_back({{"before", p.before}, {"after", p.after}, {"direction", direction_name(p.direction)}});
    }
    clauses.push_back(std::move(entry));
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render_sync_impact_report(const ConstitutionDiff& change, std::string_view to_version) {
  const auto list = [](const std::vector<std::string>& items) {
    if (items.empty()) return std::string(" None\n");
    std::string out = "\n";
    for (const auto& item : items) out += fmt::format("- {}\n", item);
    return out;
  };
  std::vector<std::string> modified;
  for (const ClauseChange& c : change.clauses) {
    const Clause& shown = c.after != nullptr ? *c.after : *c.before;
    const std::string section = section_label(shown.section_path);
    switch (c.kind) {
      case ChangeKind::added: modified.push_back(fmt::format("{}: added \"{}\"", section, shortened(shown.text))); break;
      case ChangeKind::removed: modified.push_back(fmt::format("{}: removed \"{}\"", section, shortened(shown.text))); break;
      case ChangeKind::parameter_changed: {
        std::string parameters;
        for (const auto& p : c.parameters)
          parameters += fmt::format("{}{} → {} ({})", parameters.empty() ? "" : ", ", p.before, p.after, direction_name(p.direction));
        modified.push_back(fmt::format("{}: \"{}\": {}", section, shortened(shown.text), parameters));
        break;
      }
      case ChangeKind::moved: modified.push_back(fmt::format("\"{}\" {}", shortened(shown.text), c.why)); break;
      default:
        modified.push_back(fmt::format("{}: \"{}\" → \"{}\" ({})", section, shortened(c.before->text), shortened(shown.text), c.why));
    }
  }
  std::vector<std::string> added;
  std::vector<std::string> removed;
  for (const SectionChange& s : change.sections) (s.added ? added : removed).push_back(section_label(s.path));
  std::string out = "<!--\nSync Impact Report\n";
  out += fmt::format("Version change: {} → {}\n", change.version_before.empty() ? "none" : change.version_before, to_version);
  out += fmt::format("Bump: {} ({})\n", to_string(change.required),
                     change.required == Bump::none ? "no normative change" : change.required_because);
  out += "Modified principles:" + list(modified);
  out += "Added sections:" + list(added);
  out += "Removed sections:" + list(removed);
  out += "Templates requiring updates:" + list(change.pending_templates);
  out += "Follow-up TODOs:" + list(change.follow_up);
  out += "-->\n";
  return out;
}

}  // namespace constable::constitution
