#include "engine/finding.hpp"

#include <tuple>

namespace constable::engine {

bool report_order(const Finding& a, const Finding& b) {
  return std::tie(a.path, a.range.line, a.range.column, a.check_id, a.message, a.range.end_line, a.range.end_column) <
         std::tie(b.path, b.range.line, b.range.column, b.check_id, b.message, b.range.end_line, b.range.end_column);
}

}  // namespace constable::engine
