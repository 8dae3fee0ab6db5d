// database/neon-pooled-connection: "Connection pooling via PgBouncer MUST be
// configured" (Neon Serverless Database).

#include <string>
#include <string_view>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace neon_pooled_connection_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/neon-pooled-connection",
    .domain = "database",
    .nature = Nature::reliability,
    .summary = "Connect the application to Neon through its PgBouncer (-pooler) endpoint",
    .rationale =
        "Neon's compute accepts a limited number of direct connections, sized by its compute units; "
        "serverless functions and autoscaled replicas each open their own and exhaust them under load. "
        "The endpoint whose host ends in `-pooler` puts PgBouncer in front and accepts up to 10,000 client "
        "connections. Direct connections remain right for migrations and other session-level work.",
    .remediation =
        "Use the pooled host in the application's connection string (`ep-name-123456-pooler.region.aws.neon.tech`); "
        "keep a direct URL for migrations in a variable that says so (`DATABASE_URL_UNPOOLED`, `DIRECT_URL`).",
    // constable:ignore[database/neon-pooled-connection] reason="this check documents a direct endpoint as its bad example"
    .bad_example = "DATABASE_URL=postgresql://app:<password>@ep-cool-darkness-123456.us-east-2.aws.neon.tech/app\n",
    .good_example =
        "DATABASE_URL=postgresql://app:<password>@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/app\n",
    .parameters = "",
    .clause = {.section = "neon", .text = "pool(ing|er)|pgbouncer"},
    .file_kind = FileKind::other,
    .stack = "",  // a Neon host is recognised by itself
    .scope = engine::Scope::every_text_file,
};

// Documentation explains both endpoints; configuration and code choose one.
bool is_documentation(std::string_view path) {
  for (const std::string_view extension : {".md", ".mdx", ".rst", ".txt", ".html", ".adoc"})
    if (path.ends_with(extension)) return true;
  return false;
}

// Names under which Neon and the tools built on it keep the direct URL
// that migrations and session-level work need.
bool names_direct_connection(std::string_view line) {
  for (const std::string_view word : {"direct", "unpooled", "non_pooling", "nonpooling", "migrat", "shadow"})
    if (text::icontains(line, word)) return true;
  return false;
}

// Whether the endpoint host is where Postgres connections go: in a
// connection URL (`postgresql://user:pw@ep-...`) or a host setting (PGHOST,
// `host:`). Neon Auth and the Data API live on the same endpoint names under
// other subdomains (`ep-x.neonauth...`, `ep-x.apirest...`) and pool nothing.
bool is_database_host(std::string_view before, std::string_view domain) {
  if (text::contains(domain, ".neonauth.") || text::contains(domain, ".apirest.")) return false;
  static const RE2 url(R"((?i)postgres(ql)?(\+\w+)?://[^\s'"]*$)");
  static const RE2 host_setting(R"((?i)host\w*["']?\s*[:=]\s*["']?$)");
  return RE2::PartialMatch(before, url) || RE2::PartialMatch(before, host_setting);
}

class NeonPooledConnectionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return !is_documentation(path) && !is_test_path(path) && !is_sample_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    static const text::Literals kHost{"neon.tech"};
    if (!judges_path(file.file().path) || !kHost.any_in(file.text())) return;
    static const RE2 host(R"((ep-[a-z0-9-]+)((?:\.[a-z0-9-]+)*\.neon\.tech)\b)");
    const auto& lines = file.lines();
    for (std::size_t index = 0; index < lines.size(); ++index) {
      const std::string_view line = lines[index];
      if (!text::contains(line, "neon.tech") || names_direct_connection(line)) continue;
      re2::StringPiece input(line.data(), line.size());
      re2::StringPiece endpoint;
      re2::StringPiece domain;
      while (RE2::FindAndConsume(&input, host, &endpoint, &domain)) {
        if (std::string_view(endpoint.data(), endpoint.size()).ends_with("-pooler")) continue;
        const auto start = static_cast<int>(endpoint.data() - line.data());
        if (!is_database_host(line.substr(0, static_cast<std::size_t>(start)), std::string_view(domain.data(), domain.size())))
          continue;
        const int line_number = static_cast<int>(index) + 1;
        const auto end = static_cast<int>(domain.data() + domain.size() - line.data());
        engine::Emission emission{
            .range = {line_number, start + 1, line_number, end + 1},
            .message = fmt::format("`{}` is Neon's direct endpoint: connect the application through the pooled "
                                   "one, `{}-pooler{}`",
                                   std::string_view(endpoint.data(), endpoint.size()),
                                   std::string_view(endpoint.data(), endpoint.size()),
                                   std::string_view(domain.data(), domain.size())),
            .anchor = std::string(endpoint.data(), endpoint.size()),
        };
        // The user and password of `scheme://user:password@host` stay out of snippets.
        const std::string_view before = line.substr(0, static_cast<std::size_t>(start));
        if (const std::size_t scheme = before.rfind("://"); scheme != std::string_view::npos && before.ends_with('@'))
          emission.secrets.push_back({line_number, static_cast<int>(scheme) + 4, line_number, start});
        out.emit(std::move(emission));
      }
    }
  }
};

}  // namespace neon_pooled_connection_check
}  // namespace

std::unique_ptr<engine::Check> make_neon_pooled_connection_check() {
  return engine::make_check<neon_pooled_connection_check::NeonPooledConnectionCheck>();
}

}  // namespace constable::checks::database
