// testing/load-target: "Target load: 2x expected peak traffic". Where a k6
// script declares the expected peak it is tested against (a constant or an
// options key named for the peak) and the load it drives, some load test of
// the repository drives at least the clause's multiple of that peak.

#include <fmt/format.h>
#include <re2/re2.h>

#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checks/testing/testing_checks.hpp"
#include "checks/testing/testing_support.hpp"
#include "core/text.hpp"

namespace constable::checks::testing {

namespace {
namespace load_target_check {

constexpr engine::CheckInfo kInfo{
    .id = "testing/load-target",
    .domain = "testing",
    .nature = Nature::reliability,
    .summary = "Drive load tests to the constitution's multiple of the expected peak",
    .rationale =
        "A load test that stops at the expected peak shows the service survives an average busy day, not the "
        "launch, the retry storm or the failover that doubles it; the headroom the constitution asks for is only "
        "known when a test drives it. Judged in k6 scripts that state both figures: the expected peak, a "
        "constant or key whose name contains `peak` (EXPECTED_PEAK_RPS, peakUsers, PEAK; names of durations, "
        "hours, factors or anything else, PEAK_COUNT, are not figures) set to a number (or `__ENV.X || number`), "
        "and the load, the largest `rate` "
        "of an arrival-rate scenario (requests per second: a timeUnit other than 1s is not compared), or the "
        "largest `vus` or stage `target` (virtual users). A peak named for a rate (rps, rate, qps, req) is "
        "compared with rates, one named for users (vus, users, concurrency) with virtual users, an unqualified "
        "one with the only kind the script drives. A load that is an expression of the peak (`PEAK_RPS * 2`) is "
        "evaluated; any other expression, or both kinds mixed in stages, is given the benefit of the doubt. The "
        "finding is reported only when no load test of the repository reaches the multiple; Locust, Artillery, "
        "JMeter and Gatling plans are not read.",
    .remediation =
        "Add a stress scenario that drives the clause's multiple of the declared peak, e.g. "
        "`stress: {executor: 'constant-arrival-rate', rate: EXPECTED_PEAK_RPS * 2, timeUnit: '1s', duration: "
        "'15m', preAllocatedVUs: 200}`, or correct the declared peak.",
    .bad_example = "const EXPECTED_PEAK_RPS = 200;\nexport const options = { scenarios: { peak: { executor: "
                   "'constant-arrival-rate', rate: EXPECTED_PEAK_RPS, timeUnit: '1s', duration: '10m', "
                   "preAllocatedVUs: 100 } } };\n",
    .good_example = "const EXPECTED_PEAK_RPS = 200;\nexport const options = { scenarios: { stress: { executor: "
                    "'constant-arrival-rate', rate: EXPECTED_PEAK_RPS * 2, timeUnit: '1s', duration: '10m', "
                    "preAllocatedVUs: 200 } } };\n",
    .parameters = "the multiple of the expected peak (\"2x\")",
    .clause = {.section = "load test|performance|scalab|test", .text = R"((\d+(\.\d+)?\s*(x|×|times)|twice|double)[^.]*\bpeak)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

enum class Unit : std::uint8_t { rate, users, unknown };

std::string_view unit_name(Unit unit) { return unit == Unit::rate ? "requests/s" : "virtual users"; }

// What a name says it counts; nullopt when it is not a figure of traffic
// (a peak hour, a peak's duration, a factor).
std::optional<Unit> unit_of_name(std::string_view name) {
  const std::string lower = text::to_lower(name);
  for (const std::string_view excluded : {"time", "hour", "duration", "factor", "multiplier", "ratio", "percent",
                                          "pct", "window", "start", "end", "day", "minute", "second", "latency",
                                          "ms", "threshold", "stage", "ramp", "sleep", "wait", "mem", "cpu"})
    if (lower.find(excluded) != std::string::npos) return std::nullopt;
  for (const std::string_view rate : {"rps", "rate", "qps", "req", "tps", "throughput", "arrival", "iteration"})
    if (lower.find(rate) != std::string::npos) return Unit::rate;
  for (const std::string_view users : {"vus", "vu", "user", "concurren", "connection"})
    if (lower.find(users) != std::string::npos) return Unit::users;
  // An unqualified name is a figure of traffic only when it says nothing
  // else: `PEAK`, `expectedPeak`, `PEAK_LOAD` (not `PEAK_COUNT`, `peakAlpha`).
  std::string rest;
  for (const char c : lower)
    if (c != '_' && c != '-' && c != '$') rest += c;
  for (const std::string_view word : {"expected", "peak", "load", "traffic", "target", "max"})
    for (auto at = rest.find(word); at != std::string::npos; at = rest.find(word)) rest.erase(at, word.size());
  if (!rest.empty()) return std::nullopt;
  return Unit::unknown;
}

struct Peak {
  std::string name;
  double value = 0;
  Unit unit = Unit::unknown;
};

struct Load {
  double value = 0;
  int line = 0;
  Unit unit = Unit::unknown;
};

// One script's verdict.
struct Judged {
  std::string path;
  Peak peak;
  Load load;      // the largest comparable load
  bool unknown = false;  // a load the check cannot evaluate
};

class LoadTargetCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    static const RE2 kFactor(R"((?i)(\d+(?:\.\d+)?)\s*(?:x|×|times)\b)");
    static const RE2 kWords(R"((?i)\b(twice|double)\b)");
    double factor = 0;
    if (RE2::PartialMatch(clause.text, kFactor, &factor) && factor > 0) {
      factor_ = factor;
      return {};
    }
    if (RE2::PartialMatch(clause.text, kWords)) {
      factor_ = 2;
      return {};
    }
    return fail(fmt::format("testing/load-target: no multiple of the peak in '{}' (expected e.g. '2x expected peak')",
                            clause.text),
                "", clause.line);
  }

  std::string bound_parameters() const override { return fmt::format("target load {:g}x expected peak", factor_); }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    static const RE2 kK6Import(R"re((?m)^\s*import\b[^;\n]*\bfrom\s*['"]k6(/[\w/-]+)?['"])re");
    std::vector<Judged> short_of;
    const auto generators = image_directories(repo.workspace());
    for (const workspace::File& file : repo.workspace().files) {
      if (file.size > 1024 * 1024 || generators.contains(text::dirname(file.path))) continue;
      const std::string name = lower_name(file.path);
      if (!name.ends_with(".js") && !name.ends_with(".ts") && !name.ends_with(".mjs")) continue;
      const std::string_view content = read_file(repo, file);
      // Cheap first: a script that never names a peak is not judged.
      if (!text::icontains(content, "peak") || !text::contains(content, "k6") ||
          !RE2::PartialMatch(content, kK6Import) || browser_only(content))
        continue;
      auto judged = judge(file.path, content);
      if (!judged) continue;
      // Some load test reaches the multiple, or drives a load not read: nothing to report.
      if (judged->unknown || judged->load.value >= factor_ * judged->peak.value) return;
      short_of.push_back(std::move(*judged));
    }
    for (const Judged& judged : short_of)
      emit_at(out, judged.path, judged.load.line,
              fmt::format("the load test's highest load is {:g} {}, {:.2g}x its expected peak {} = {:g}: the "
                          "constitution asks for {:g}x ({:g} {}), and no other load test of the repository drives it",
                          judged.load.value, unit_name(judged.load.unit), judged.load.value / judged.peak.value,
                          judged.peak.name, judged.peak.value, factor_, factor_ * judged.peak.value,
                          unit_name(judged.load.unit)));
  }

 private:
  // The peak and the load a k6 script states; nullopt when it states no
  // comparable pair.
  static std::optional<Judged> judge(const std::string& path, std::string_view content) {
    // `const EXPECTED_PEAK_RPS = 200`, `let peak = __ENV.PEAK || 50`, `expectedPeakUsers: 300`.
    static const RE2 kPeak(
        R"re((?i)(?:\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=|\b([A-Za-z_$][\w$]*)\s*:)\s*(?:(?:Number|parseInt|parseFloat)\s*\(\s*)?(?:__ENV\.\w+\s*(?:\|\||\?\?)\s*)?['"]?(\d+(?:\.\d+)?)['"]?\s*(?:\)\s*)?[;,\n}])re");
    // `rate: 400`, `target: PEAK * 2`, `vus: 2 * PEAK_VUS`.
    static const RE2 kLoad(
        R"re(\b(rate|target|vus)\s*:\s*([A-Za-z_$][\w$.]*|\d+(?:\.\d+)?)(?:[ \t]*\*[ \t]*([A-Za-z_$][\w$.]*|\d+(?:\.\d+)?))?[ \t]*(\S|\n|$))re");
    static const RE2 kTimeUnit(R"re(\btimeUnit\s*:\s*['"`]([^'"`]*)['"`])re");
    std::map<std::string, double, std::less<>> peaks;
    std::optional<Peak> peak;
    {
      re2::StringPiece input(content.data(), content.size());
      std::string declared, key, value;
      while (RE2::FindAndConsume(&input, kPeak, &declared, &key, &value)) {
        const std::string& name = declared.empty() ? key : declared;
        if (!text::icontains(name, "peak")) continue;
        const auto unit = unit_of_name(name);
        if (!unit) continue;
        const double number = std::strtod(value.c_str(), nullptr);
        if (number <= 0) continue;
        if (peak && peak->value != number) return std::nullopt;  // two peaks: which one is meant is not known
        peaks[name] = number;
        if (!peak) peak = Peak{name, number, *unit};
        else if (peak->unit == Unit::unknown) peak->unit = *unit;
      }
    }
    if (!peak) return std::nullopt;
    // A rate per minute is not compared with a peak per second.
    {
      re2::StringPiece input(content.data(), content.size());
      std::string unit;
      while (RE2::FindAndConsume(&input, kTimeUnit, &unit))
        if (unit != "1s" && unit != "1000ms") return std::nullopt;
    }
    const bool arrival = text::contains(content, "arrival-rate");
    const bool vu_executor = text::contains(content, "ramping-vus") || text::contains(content, "constant-vus") ||
                             text::contains(content, "per-vu-iterations") || text::contains(content, "shared-iterations");
    Judged judged{path, *peak, {}, false};
    const auto evaluate = [&](const std::string& term) -> std::optional<double> {
      if (term.empty()) return 1.0;
      if (std::isdigit(static_cast<unsigned char>(term[0]))) return std::strtod(term.c_str(), nullptr);
      if (const auto found = peaks.find(term); found != peaks.end()) return found->second;
      return std::nullopt;
    };
    re2::StringPiece input(content.data(), content.size());
    re2::StringPiece field_piece;
    std::string left, right, end;
    bool any = false;
    while (RE2::FindAndConsume(&input, kLoad, &field_piece, &left, &right, &end)) {
      const std::string_view field(field_piece.data(), field_piece.size());
      const int line = line_of(content, static_cast<std::size_t>(field_piece.data() - content.data()));
      Unit unit = Unit::unknown;
      if (field == "rate") unit = Unit::rate;
      else if (field == "vus") unit = Unit::users;
      else if (arrival && vu_executor) unit = Unit::unknown;  // a stage target of either kind
      else unit = arrival ? Unit::rate : Unit::users;
      if (judged.peak.unit != Unit::unknown && unit != Unit::unknown && unit != judged.peak.unit) continue;
      const auto a = evaluate(left);
      const auto b = evaluate(right);
      // `rate: config.rate`, `target: Math.ceil(...)`, `rate: PEAK + 50`: not read.
      const bool plain_end = end.empty() || end == "," || end == "}" || end == "\n" || end == "\r";
      if (!a || !b || !plain_end || unit == Unit::unknown) {
        judged.unknown = true;
        continue;
      }
      if (judged.peak.unit == Unit::unknown && any && judged.load.unit != unit) {
        judged.unknown = true;  // an unqualified peak, and both kinds of load
        continue;
      }
      const double value = *a * *b;
      if (!any || value > judged.load.value) judged.load = Load{value, line, unit};
      any = true;
    }
    if (!any && !judged.unknown) return std::nullopt;
    return judged;
  }

  double factor_ = 2;
};

}  // namespace load_target_check
}  // namespace

std::unique_ptr<engine::Check> make_load_target_check() {
  return engine::make_check<load_target_check::LoadTargetCheck>();
}

}  // namespace constable::checks::testing
