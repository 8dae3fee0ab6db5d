#pragma once
// The Go objects Helm puts in a template's data: .Chart (*chart.Metadata),
// .Files (chartutil.Files), .Capabilities (*chartutil.Capabilities).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "helm/chart.hpp"
#include "helm/value.hpp"

namespace constable::helm {

Value make_chart_object(const Chart& chart);
// .Files: views of `files`, which must outlive the value (a render of their chart).
Value make_files_object(const std::vector<ChartDataFile>& files);
Value make_capabilities_object(const std::string& kube_version, const std::vector<std::string>& extra_api_versions);
// Helm 2's .Release.Time, a protobuf *timestamp.Timestamp (.Seconds, .Nanos).
// Helm 3 dropped it; charts written for Helm 2 still read it.
Value make_release_time_object(std::int64_t unix_seconds);

}  // namespace constable::helm
