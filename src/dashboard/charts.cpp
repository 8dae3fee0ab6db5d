// The dashboard's charts, drawn as inline SVG: no script and no library, so
// a page shows them offline and in any browser. Colours come from the
// page's stylesheet through classes (sev-critical, ...), so that dark mode
// and print follow it.

#include <algorithm>

#include <fmt/format.h>

#include "dashboard/markup.hpp"

namespace constable::dashboard {
namespace {

// 1, 2 or 5 times a power of ten, at least `value` (and at least 1): an axis' top.
std::size_t round_up(std::size_t value) {
  std::size_t scale = 1;
  for (;;) {
    for (const std::size_t step : {1, 2, 5})
      if (step * scale >= value) return step * scale;
    scale *= 10;
  }
}

std::string_view severity_name(std::size_t index) { return to_string(kAllSeverities[index]); }

}  // namespace

std::string severity_chart(const BySeverity& open, const BySeverity& overdue) {
  constexpr int kWidth = 560, kRow = 44, kLabel = 80, kBar = 420;
  const std::size_t top = round_up(std::max(*std::max_element(open.begin(), open.end()), std::size_t{1}));
  std::string out = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" "
      "aria-labelledby=\"severity-chart-title\"><title id=\"severity-chart-title\">Open and overdue violations by "
      "severity</title>\n",
      kWidth, kRow * 4 + 8);
  for (std::size_t i = 0; i < 4; ++i) {
    const int y = static_cast<int>(i) * kRow + 4;
    const auto length = [&](std::size_t n) {
      return static_cast<int>(static_cast<double>(n) * kBar / static_cast<double>(top) + 0.5);
    };
    out += fmt::format("<text x=\"0\" y=\"{}\" class=\"label\">{}</text>\n", y + 15, severity_name(i));
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" class=\"sev-{} open-bar\"><title>{} open {}</title></rect>"
        "<text x=\"{}\" y=\"{}\" class=\"value\">{} open</text>\n",
        kLabel, y + 2, length(open[i]), severity_name(i), open[i], severity_name(i), kLabel + length(open[i]) + 6,
        y + 15, open[i]);
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" class=\"sev-{} overdue-bar\"><title>{} overdue {}</title>"
        "</rect><text x=\"{}\" y=\"{}\" class=\"value\">{} overdue</text>\n",
        kLabel, y + 20, length(overdue[i]), severity_name(i), overdue[i], severity_name(i),
        kLabel + length(overdue[i]) + 6, y + 33, overdue[i]);
  }
  return out + "</svg>";
}

std::string trend_chart(const std::vector<audit::RunPoint>& trend) {
  if (trend.empty()) return "<p>No run yet.</p>";
  constexpr int kWidth = 720, kHeight = 260, kLeft = 48, kRight = 12, kTop = 12, kBottom = 44;
  constexpr int kPlotWidth = kWidth - kLeft - kRight, kPlotHeight = kHeight - kTop - kBottom;
  std::size_t highest = 1;
  for (const auto& point : trend) highest = std::max({highest, point.open, point.overdue});
  const std::size_t top = round_up(highest);
  const auto y_of = [&](std::size_t n) {
    return kTop + kPlotHeight - static_cast<double>(n) * kPlotHeight / static_cast<double>(top);
  };
  const double slot = static_cast<double>(kPlotWidth) / static_cast<double>(trend.size());
  const double bar = std::min(48.0, slot * 0.7);
  std::string out = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" "
      "aria-labelledby=\"trend-chart-title\"><title id=\"trend-chart-title\">Open violations after each run, by "
      "severity, and how many were overdue</title>\n",
      kWidth, kHeight);
  for (const std::size_t tick : {std::size_t{0}, top / 2, top}) {
    out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
                       "<text x=\"{}\" y=\"{:.1f}\" class=\"axis\" text-anchor=\"end\">{}</text>\n",
                       kLeft, kWidth - kRight, y_of(tick), y_of(tick), kLeft - 6, y_of(tick) + 4, tick);
  }
  // Label every run while they fit, else every few.
  const std::size_t label_every = std::max<std::size_t>(1, (trend.size() + 9) / 10);
  std::string line;
  for (std::size_t i = 0; i < trend.size(); ++i) {
    const audit::RunPoint& point = trend[i];
    const double centre = kLeft + slot * (static_cast<double>(i) + 0.5);
    out += fmt::format("<g class=\"run\"><title>run {} on {}: {} open ({} critical, {} high, {} medium, {} low), {} "
                       "overdue</title>",
                       point.run, point.date.to_string(), point.open, point.open_by_severity[0],
                       point.open_by_severity[1], point.open_by_severity[2], point.open_by_severity[3], point.overdue);
    std::size_t below = 0;
    // Critical at the bottom: the part that matters most reads from the axis.
    for (std::size_t s = 0; s < 4; ++s) {
      const std::size_t n = point.open_by_severity[s];
      if (n == 0) continue;
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" class=\"sev-{}\"/>",
                         centre - bar / 2, y_of(below + n), bar, y_of(below) - y_of(below + n), severity_name(s));
      below += n;
    }
    out += "</g>\n";
    if (i % label_every == 0 || i + 1 == trend.size())
      out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">#{}</text>"
                         "<text x=\"{:.1f}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>\n",
                         centre, kHeight - kBottom + 16, point.run, centre, kHeight - kBottom + 32,
                         point.date.to_string().substr(5));
    line += fmt::format("{}{:.1f},{:.1f}", line.empty() ? "" : " ", centre, y_of(point.overdue));
  }
  out += fmt::format("<polyline points=\"{}\" class=\"overdue-line\"/>\n", line);
  for (std::size_t i = 0; i < trend.size(); ++i)
    out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" class=\"overdue-point\"/>",
                       kLeft + slot * (static_cast<double>(i) + 0.5), y_of(trend[i].overdue));
  return out + "\n</svg>";
}

std::string sparkline(const std::vector<std::size_t>& values) {
  constexpr int kWidth = 96, kHeight = 20;
  if (values.empty()) return {};
  const std::size_t top = std::max<std::size_t>(1, *std::max_element(values.begin(), values.end()));
  const double step = values.size() > 1 ? static_cast<double>(kWidth - 4) / static_cast<double>(values.size() - 1) : 0;
  std::string points;
  std::string title;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = values.size() > 1 ? 2 + step * static_cast<double>(i) : kWidth / 2.0;
    const double y = kHeight - 2 - static_cast<double>(values[i]) * (kHeight - 4) / static_cast<double>(top);
    points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x, y);
    title += fmt::format("{}{}", title.empty() ? "" : " ", values[i]);
  }
  return fmt::format(
      "<svg class=\"sparkline\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\"><title>open over "
      "the last runs: {2}</title><polyline points=\"{3}\"/></svg>",
      kWidth, kHeight, title, points);
}

std::string meter(std::size_t part, std::size_t whole) {
  constexpr int kWidth = 160, kHeight = 12;
  const double fraction = whole == 0 ? 0 : std::min(1.0, static_cast<double>(part) / static_cast<double>(whole));
  return fmt::format(
      "<svg class=\"meter\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\"><title>{2} of {3}"
      "</title><rect width=\"{0}\" height=\"{1}\" class=\"meter-back\"/><rect width=\"{4:.1f}\" height=\"{1}\" "
      "class=\"meter-fill\"/></svg>",
      kWidth, kHeight, part, whole, fraction * kWidth);
}

}  // namespace constable::dashboard
