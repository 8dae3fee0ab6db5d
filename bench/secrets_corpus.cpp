#include "secrets_corpus.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace constable::bench {

namespace {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  std::uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>((next() >> 33) % n); }
  std::string chars(std::size_t n, std::string_view alphabet) {
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(alphabet[below(alphabet.size())]);
    return out;
  }

 private:
  std::uint64_t state_;
};

constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kHex = "0123456789abcdef";

// Ordinary lines; some mention passwords and tokens. The corpus holds one secret-like word (pass, secret,
// token, cred) per ~750 bytes, about 4 times the density measured on 256 MB of real C, C++, Python, Go,
// JavaScript, JSON and YAML files (one per ~3.3 KB): every such word is an anchor candidate, so this is
// deliberately pessimistic.
constexpr std::string_view kCode[] = {
    "    for (std::size_t i = 0; i < values.size(); ++i) total += values[i] * weights[i];\n",
    "def load_config(path: str) -> dict:\n    with open(path, encoding=\"utf-8\") as handle:\n",
    "        return yaml.safe_load(handle) or {}\n",
    "export async function fetchUser(id) { const res = await fetch(`/api/users/${id}`); return res.json(); }\n",
    "func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n\tctx := r.Context()\n",
    "  }\n}\n\n",
    "    logger.info(\"processed %d records in %.2f seconds\", count, elapsed)\n",
    "#include <algorithm>\n#include <string>\n#include <vector>\n",
    "    if (err != nil) {\n\t\treturn fmt.Errorf(\"open %s: %w\", path, err)\n\t}\n",
    "class OrderRepository:\n    \"\"\"Reads and writes orders in the primary database.\"\"\"\n",
    "    const std::size_t n = std::min(buffer.size(), static_cast<std::size_t>(limit));\n",
    "  return items.filter((item) => item.active && item.quantity > 0).map(toViewModel);\n",
    "    self.assertEqual(response.status_code, 200, msg=response.content.decode())\n",
    "static int compare_entries(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }\n",
    "  /**\n   * Returns the number of bytes written, or -1 on error (errno is set).\n   */\n",
    "\tcase http.MethodGet:\n\t\th.list(w, r)\n\tcase http.MethodPost:\n\t\th.create(w, r)\n",
    "    auth_token = request.headers.get(\"Authorization\", \"\").removeprefix(\"Bearer \")\n",
};
constexpr std::string_view kConfig[] = {
    "server:\n  port: 8443\n  host: 0.0.0.0\n",
    "[logging]\nlevel = info\nformat = json\n",
    "image:\n  repository: ghcr.io/acme/orders\n  tag: \"1.14.2\"\n  pullPolicy: IfNotPresent\n",
    "resources:\n  limits:\n    cpu: 500m\n    memory: 512Mi\n",
    "  \"scripts\": {\n    \"build\": \"tsc -p .\",\n    \"test\": \"vitest run\"\n  },\n",
    "  - name: checkout\n    uses: actions/checkout@v4\n",
    "database:\n  host: db.internal\n  user: orders\n  password: ${DB_PASSWORD}\n  pool_size: 20\n",
};
constexpr std::string_view kProse[] = {
    "The scanner reads every blob once and reports findings with their line and column.\n",
    "Rotating credentials regularly limits the blast radius of an accidental leak.\n",
    "Each release is built from a tagged commit and signed by the release workflow.\n",
    "Run the test suite before opening a pull request; CI runs it again on every push.\n",
};

std::string fake_secret(Rng& rng) {
  switch (rng.below(8)) {
    case 0:
      return "GH_TOKEN: ghp_" + rng.chars(36, kAlnum) + "\n";
    case 1:
      return "aws_access_key_id = AKIA" + rng.chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") + "\n";
    case 2:
      return "  password: \"" + rng.chars(24, kAlnum) + "!\"\n";
    case 3:
      return "DATABASE_URL=postgres://app:" + rng.chars(18, kAlnum) + "@db.internal:5432/app\n";
    case 4:
      return "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJ" + rng.chars(40, kAlnum) + "." + rng.chars(43, kAlnum) +
             "\n";
    case 5:
      return "STRIPE_KEY=sk_"
             "live_" +
             rng.chars(24, kAlnum) + "\n";
    case 6:
      return "npm_token: npm_" + rng.chars(36, kAlnum) + "\n";
    default:
      return "slack: xoxb-" + rng.chars(12, "0123456789") + "-" + rng.chars(24, kAlnum) + "\n";
  }
}

// One synthetic file of about `size` bytes.
std::string synthetic_file(Rng& rng, std::size_t size) {
  std::string out;
  out.reserve(size + 512);
  while (out.size() < size) {
    const std::size_t kind = rng.below(1000);
    if (kind < 560) {
      out += kCode[rng.below(std::size(kCode))];
    } else if (kind < 720) {
      out += kConfig[rng.below(std::size(kConfig))];
    } else if (kind < 800) {
      out += "      \"integrity\": \"sha512-" + rng.chars(86, kBase64) + "==\",\n";
    } else if (kind < 840) {
      out += "github.com/acme/mod v1.2.3 h1:" + rng.chars(43, kBase64) + "=\n";
    } else if (kind < 870) {
      out += "checksum = \"" + rng.chars(64, kHex) + "\"\n";
    } else if (kind < 890) {
      out += "var e=" + rng.chars(200, kAlnum) + ";function t(n){return n.id||n.key}\n";
    } else if (kind < 892) {
      out += fake_secret(rng);
    } else {
      out += kProse[rng.below(std::size(kProse))];
    }
  }
  return out;
}

}  // namespace

std::size_t corpus_mib() {
  const char* configured = std::getenv("CONSTABLE_SECRETS_CORPUS_MIB");
  const long mib = configured != nullptr ? std::strtol(configured, nullptr, 10) : 0;
  return mib > 0 ? static_cast<std::size_t>(mib) : 64;
}

std::vector<std::string> make_secrets_corpus(std::size_t mib) {
  Rng rng(20261122);
  std::vector<std::string> out;
  std::size_t total = 0;
  while (total < (mib << 20)) {
    out.push_back(synthetic_file(rng, 4096U << rng.below(7)));
    total += out.back().size();
  }
  return out;
}


}  // namespace constable::bench
