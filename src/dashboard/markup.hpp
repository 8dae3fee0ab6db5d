#pragma once
// What every dashboard page and chart shares: escaping of text from the
// store, and the numbers the charts are drawn with.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "audit/report.hpp"

namespace constable::dashboard {

// The HTML report's escaping and CSP hashes (report/common.hpp), by the
// names the pages use.
std::string escape(std::string_view text);
std::string csp_hash(std::string_view block);

using BySeverity = std::array<std::size_t, 4>;  // indexed by Severity

// Open and overdue violations of each severity, as grouped bars.
std::string severity_chart(const BySeverity& open, const BySeverity& overdue);
// The fleet after each run: open violations stacked by severity, overdue as a line.
std::string trend_chart(const std::vector<audit::RunPoint>& trend);
// A small line of a repository's open violations over its last runs.
std::string sparkline(const std::vector<std::size_t>& values);
// A horizontal bar filled `part` of `whole`.
std::string meter(std::size_t part, std::size_t whole);

}  // namespace constable::dashboard
