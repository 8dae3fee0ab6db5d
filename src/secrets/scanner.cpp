#include "secrets/scanner.hpp"

#include <hs/hs.h>
#include <re2/re2.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "checks/common/secret_heuristics.hpp"
#include "core/text.hpp"
#include "core/cache.hpp"
#include "secrets/compiled_patterns.hpp"
#include "secrets/rules.hpp"

namespace constable::secrets {

using detail::Detector;
using detail::Kind;

namespace {

namespace heur = constable::checks::secrets;

// ---------------------------------------------------------------------------
// Paths

std::string_view basename_of(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && text::iequals(s.substr(s.size() - suffix.size()), suffix);
}

// `config.yaml.example`, `.env.sample`, `settings.template`, `phpunit.xml.dist`: documentation of a
// configuration, never the configuration itself.
bool is_placeholder_file(std::string_view path) {
  const std::string_view base = basename_of(path);
  for (std::string_view suffix : {".example", ".sample", ".template", ".dist"}) {
    if (ends_with_ci(base, suffix)) return true;
  }
  return false;
}

bool is_dotenv_file(std::string_view path) {
  const std::string_view base = basename_of(path);
  return base == ".env" || base.starts_with(".env.");
}

// ---------------------------------------------------------------------------
// Value filters

std::size_t distinct_chars(std::string_view v) {
  std::array<bool, 256> seen{};
  std::size_t n = 0;
  for (char c : v) {
    auto& s = seen[static_cast<unsigned char>(c)];
    if (!s) {
      s = true;
      ++n;
    }
  }
  return n;
}

// A provider-format token whose body is obviously made up: "ghp_aaaa...", "AKIA0000...".
bool low_diversity(std::string_view v) { return distinct_chars(v) < std::min<std::size_t>(10, v.size() / 3); }

// "...XXXXXXXXXXXX", "...000000000000": a made-up tail; random bodies essentially never repeat a
// character 8 times in a row.
bool has_long_run(std::string_view v, std::size_t run = 8) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    n = (i > 0 && v[i] == v[i - 1]) ? n + 1 : 1;
    if (n >= run) return true;
  }
  return false;
}

// "1234567890", "abcdefgh": a counted-out sample (argo-cd's docs show a Slack
// token "xoxb-1234567890-1234567890123-..."); a random body runs eight
// characters up by one essentially never.
bool has_counting_run(std::string_view v, std::size_t run = 8) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool counts = i > 0 && std::isalnum(static_cast<unsigned char>(v[i])) != 0 && v[i] == v[i - 1] + 1;
    n = counts ? n + 1 : 1;
    if (n >= run) return true;
  }
  return false;
}

bool contains_ci(std::string_view haystack, std::string_view needle) { return text::icontains(haystack, needle); }

// Values a human chose (passwords in URLs, .env files, Kafka configs): on top of the shared placeholders,
// test values and the well-known defaults of local development setups.
bool is_user_chosen_placeholder(std::string_view value) {
  if (heur::is_placeholder(value)) return true;
  for (std::string_view part : {"test", "mock"}) {
    if (contains_ci(value, part)) return true;
  }
  static constexpr std::array<std::string_view, 16> kDefaults = {
      "password", "passwd", "pass", "secret", "postgres", "root",  "admin",  "guest",
      "mysql",    "redis",  "user", "pwd",    "default",  "empty", "123456", "12345678"};
  const std::string lower = text::to_lower(value);
  if (std::find(kDefaults.begin(), kDefaults.end(), lower) != kDefaults.end()) return true;
  // The name of what goes there, in documentation: `mongodb://DB_USER:DB_PASSWORD@mongodb`.
  return value.find('_') != std::string_view::npos && std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
         });
}

bool is_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// `settings.SECRET_KEY`, `process.env.TOKEN`, `e.token`, `GITHUB_TOKEN`, `my_secret_name`: code, not a value.
bool is_identifier_like(std::string_view v) {
  if (v.empty() || std::isdigit(static_cast<unsigned char>(v.front()))) return false;
  bool upper = false;
  bool lower = false;
  bool dot = false;
  bool prev_dot = true;
  for (char c : v) {
    if (c == '.') {
      if (prev_dot) return false;
      dot = true;
      prev_dot = true;
      continue;
    }
    if (!is_ident_char(c)) return false;
    if (prev_dot && std::isdigit(static_cast<unsigned char>(c))) return false;
    prev_dot = false;
    upper = upper || (c >= 'A' && c <= 'Z');
    lower = lower || (c >= 'a' && c <= 'z');
  }
  if (prev_dot) return false;
  if (dot) return true;  // a dotted path
  // A snake_case / CONSTANT_CASE name (GITHUB_TOKEN, my_secret_name), not a hex string.
  return v.find('_') != std::string_view::npos && !(upper && lower);
}

bool is_vowel(char c) {
  switch (c | 0x20) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
      return true;
    default:
      return false;
  }
}

// A pronounceable word of an identifier: 4+ letters, a quarter of them vowels, no 4 consonants in a row.
bool is_word(std::string_view token) {
  if (token.size() < 4) return false;
  std::size_t vowels = 0;
  std::size_t consonant_run = 0;
  for (char c : token) {
    if (is_vowel(c)) {
      ++vowels;
      consonant_run = 0;
    } else if (++consonant_run >= 4) {
      return false;
    }
  }
  return vowels * 4 >= token.size();
}

// `V1LocalObjectReference`, `Hardware-backed`, `SHA224Password`, `oauth2client:secrets#ns`: most letters
// belong to words (split at non-letters and camelCase humps). Random tokens almost never do.
bool is_wordy(std::string_view v) {
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  std::size_t letters = 0;
  std::size_t word_letters = 0;
  std::size_t i = 0;
  const std::size_t n = v.size();
  while (i < n) {
    if (!upper(v[i]) && !lower(v[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    if (upper(v[i])) {
      std::size_t j = i;
      while (j < n && upper(v[j])) ++j;
      if (j < n && lower(v[j])) {
        if (j - i > 1) {
          end = j - 1;  // an acronym, then a Title-case word
        } else {
          end = j;
          while (end < n && lower(v[end])) ++end;
        }
      } else {
        end = j;
      }
    } else {
      while (end < n && lower(v[end])) ++end;
    }
    const std::string_view token = v.substr(i, end - i);
    letters += token.size();
    if (is_word(token)) word_letters += token.size();
    i = end;
  }
  return letters > 0 && word_letters * 10 >= letters * 6;
}

// A reference to a secret manager entry, not the secret: ARNs, GCP resource names, 1Password and Vault refs.
bool is_secret_reference(std::string_view v) {
  for (std::string_view prefix : {"arn:", "projects/", "roles/", "organizations/", "op://", "vault:", "ref+", "sm://",
                                  "secretsmanager:", "ssm:", "keyvault:", "akv:", "gcp:", "azure:"}) {
    if (v.size() >= prefix.size() && text::iequals(v.substr(0, prefix.size()), prefix)) return true;
  }
  return false;
}

// An unquoted value in a URL query stops at the next parameter: "abc123&token_type=Bearer" -> "abc123".
std::string_view before_query_parameter(std::string_view v) {
  for (std::size_t amp = v.find('&'); amp != std::string_view::npos; amp = v.find('&', amp + 1)) {
    std::size_t i = amp + 1;
    while (i < v.size() && (std::isalnum(static_cast<unsigned char>(v[i])) || v[i] == '_' || v[i] == '-')) ++i;
    if (i > amp + 1 && i < v.size() && v[i] == '=') return v.substr(0, amp);
  }
  return v;
}

// An unquoted value that is code rather than a literal.
bool is_code_expression(std::string_view v) {
  if (v.empty()) return false;
  if (v.front() == '=' || v.front() == '>' || v.front() == ':') return true;  // `==`, `=>`, C++ `Pass::run`
  for (std::string_view op : {"==", "||", "&&", "=>", "?.", "::", "->"}) {
    if (v.find(op) != std::string_view::npos) return true;
  }
  // `_PasswordType`, `getToken`, `args`: a name (random bare literals have digits).
  const bool digit = std::any_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digit && std::all_of(v.begin(), v.end(), is_ident_char)) return true;
  // `$appToken = Get-AppToken`: a PowerShell command (Verb-Noun).
  static const RE2 kPowerShellCommand(R"([A-Z][a-z]+-[A-Z][A-Za-z]+)");
  if (RE2::FullMatch(v, kPowerShellCommand)) return true;
  // `r?r.index:-1`: a conditional expression.
  if (v.find('?') != std::string_view::npos && v.find(':') != std::string_view::npos) return true;
  // `f.onMatch=f.token`, `this.$x`, `args.sasl_password`: member access.
  static const RE2 kMember(R"((?:^|[^A-Za-z0-9_$])[A-Za-z_$][A-Za-z0-9_$]*\.[a-z_$][A-Za-z0-9_$]{2,})");
  return RE2::PartialMatch(v, kMember) || is_identifier_like(v);
}

// The generic rule: a literal that looks machine-generated.
bool looks_random(std::string_view v, bool quoted) {
  if (v.size() < 12 || v.size() > 256) return false;
  bool lower = false;
  bool upper = false;
  bool digit = false;
  bool other = false;
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f) return false;  // whitespace or control: prose, not a credential
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  if (v.find("://") != std::string_view::npos) return false;
  // Unquoted code, not a literal: `token === other.token`, `e.secret || o.secret`, `a && b`, `x => y`.
  if (!quoted && is_code_expression(v)) return false;
  if (v.front() == '/' || v.starts_with("./") || v.starts_with("~/") || v.starts_with("../")) return false;
  if (is_uuid(v) || is_identifier_like(v) || has_long_run(v) || is_secret_reference(v)) return false;
  // 2016-09-24T16:18:07Z and other dates.
  if (v.size() >= 10 && std::isdigit(static_cast<unsigned char>(v[0])) && v[4] == '-' && v[7] == '-' &&
      std::isdigit(static_cast<unsigned char>(v[5])) && std::isdigit(static_cast<unsigned char>(v[8]))) {
    return false;
  }
  // "eyJ2Ijoi...": elided; "\x07MESSAGE\x12": escaped bytes of generated code.
  for (std::string_view part : {"...", "\\x", "\\n", "\\t", "\\u"}) {
    if (v.find(part) != std::string_view::npos) return false;
  }
  const int classes = int{lower} + int{upper} + int{digit} + int{other};
  const double entropy = text::shannon_entropy(v);
  const bool random =
      (classes >= 3 && entropy >= 3.0) || (v.size() >= 20 && entropy >= 3.5 && digit && (lower || upper));
  return random && !is_wordy(v) && !is_user_chosen_placeholder(v);
}

// Base64 key material between a BEGIN line and its END line (escaped "\n" in JSON strings included).
bool has_key_material(std::string_view body) {
  if (body.find("-----BEGIN") != std::string_view::npos) return false;  // a header quoted in prose or code
  // A key shown cut short in documentation: a line of "..." stands for the rest.
  for (const auto line : text::split_lines(body)) {
    const auto trimmed = text::trim(line);
    if (trimmed == "..." || trimmed == "\u2026") return false;
  }
  std::size_t b64 = 0;
  std::size_t other = 0;
  std::string sample;
  for (char c : body) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=') {
      ++b64;
      if (sample.size() < 4096) sample.push_back(c);
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') {
      ++other;  // header lines (Proc-Type: 4,ENCRYPTED) are allowed, code around a mention is not
    }
  }
  if (b64 < 64 || other * 10 > b64) return false;
  return !heur::is_placeholder(sample) && text::shannon_entropy(sample) >= 4.0;
}

bool is_documented_sample(std::size_t rule, std::string_view value) {
  switch (rule) {
    case detail::kJwt:
      // jwt.io's sample token (sub 1234567890, name John Doe).
      return value.find(".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.") !=
             std::string_view::npos;
    case detail::kAzureStorageKey:
      // The Azurite / storage emulator account key, published in Microsoft's documentation.
      return value.starts_with("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq");
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Vectorscan

// Number of '\n' bytes in [p, p + n), 16 bytes at a time where SSE2 is available.
std::size_t count_newlines(const char* p, std::size_t n) {
  std::size_t count = 0;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    count += static_cast<std::size_t>(
        __builtin_popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, nl)))));
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n' ? 1U : 0U;
  return count;
}

struct Candidate {
  std::uint32_t detector;
  std::size_t end;  // anchor end offset in the text
};

struct ScanContext {
  const char* text = nullptr;
  std::size_t base = 0;
  bool dotenv_file = false;
  std::vector<Candidate>* out = nullptr;
  std::vector<std::size_t>* last = nullptr;  // per detector: end of the last kept candidate + 1 (0 = none)
  const std::vector<std::size_t>* step = nullptr;
};

bool has_line_break(const char* p, std::size_t n) {
  return std::memchr(p, '\n', n) != nullptr || std::memchr(p, '\r', n) != nullptr;
}

int on_anchor(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/, void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  const Detector& d = detail::detector_table()[id];
  if (d.kind == Kind::Dotenv && !c->dotenv_file) return 0;
  const std::size_t end = c->base + static_cast<std::size_t>(to);
  std::size_t& last = (*c->last)[id];
  // A candidate within `step` bytes of the previous one of the same detector (and on the same line, for
  // line windows) falls in the window that one validates: dense inputs ("password=password=...") stay
  // linear in time and in memory.
  if (last != 0) {
    const std::size_t prev = last - 1;
    if (end <= prev) return 0;  // chunk overlap
    if (end < prev + (*c->step)[id] && (!d.line_window || !has_line_break(c->text + prev, end - prev))) return 0;
  }
  last = end + 1;
  c->out->push_back({id, end});
  return 0;
}

struct ScratchDeleter {
  void operator()(hs_scratch_t* s) const {
    if (s != nullptr) hs_free_scratch(s);
  }
};
using ScratchPtr = std::unique_ptr<hs_scratch_t, ScratchDeleter>;

struct RawMatch {
  std::size_t rule;
  std::size_t offset;
  std::size_t length;
};

}  // namespace

struct Scanner::Impl {
  // Two databases: every detector but the .env one, and all of them (for .env files only, so that other
  // texts do not pay for `KEY=value` anchors). Each text gets exactly one Vectorscan pass.
  hs_database_t* db = nullptr;
  hs_database_t* dotenv_db = nullptr;
  hs_scratch_t* prototype = nullptr;  // sized for both databases
  std::mutex clone_mutex;
  std::string error;
  // Per detector, compiled on first use: a run that scans little (or only
  // redacts a few messages) does not compile hundreds of expressions at
  // start-up. tests/unit/secrets/rules_test.cpp compiles every one.
  struct Validator {
    const char* pattern = nullptr;  // null for custom validation
    std::once_flag compiled;
    std::unique_ptr<RE2> re;  // null if it does not compile
  };
  std::unique_ptr<Validator[]> validators;
  RE2::Options validator_options;
  std::vector<std::size_t> steps;

  Impl() {
    const auto detectors = detail::detector_table();
    std::vector<const char*> expressions;
    std::vector<unsigned int> flags;
    std::vector<unsigned int> ids;
    validator_options.set_log_errors(false);
    validator_options.set_max_mem(64 << 20);
    validators = std::make_unique<Validator[]>(detectors.size());
    for (std::size_t i = 0; i < detectors.size(); ++i) {
      const Detector& d = detectors[i];
      expressions.push_back(d.anchor);
      flags.push_back(d.caseless ? HS_FLAG_CASELESS : 0U);
      ids.push_back(static_cast<unsigned int>(i));
      steps.push_back(std::max<std::size_t>(1, std::min(d.back, d.fwd == 0 ? d.back : d.fwd) / 2));
      validators[i].pattern = d.validator;
    }

    // The main database leaves the .env detectors out.
    std::vector<const char*> main_expressions;
    std::vector<unsigned int> main_flags;
    std::vector<unsigned int> main_ids;
    for (std::size_t i = 0; i < detectors.size(); ++i) {
      if (detectors[i].kind == Kind::Dotenv) continue;
      main_expressions.push_back(expressions[i]);
      main_flags.push_back(flags[i]);
      main_ids.push_back(ids[i]);
    }
    db = compile(main_expressions, main_flags, main_ids);
    dotenv_db = compile(expressions, flags, ids);
    if (db == nullptr || dotenv_db == nullptr) return;
    if (hs_alloc_scratch(db, &prototype) != HS_SUCCESS || hs_alloc_scratch(dotenv_db, &prototype) != HS_SUCCESS) {
      if (error.empty()) error = "cannot allocate Vectorscan scratch space";
      if (prototype != nullptr) hs_free_scratch(prototype);
      prototype = nullptr;
    }
  }

  const RE2* validator(std::size_t detector) const {
    Validator& v = validators[detector];
    if (v.pattern == nullptr) return nullptr;
    std::call_once(v.compiled, [&] {
      auto re = std::make_unique<RE2>(v.pattern, validator_options);
      if (re->ok()) v.re = std::move(re);
    });
    return v.re.get();
  }

  hs_database_t* compile(const std::vector<const char*>& expressions, const std::vector<unsigned int>& flags,
                         const std::vector<unsigned int>& ids) {
    CompiledPatterns compiled = load_or_compile({expressions, flags, ids}, cache::default_directory());
    if (compiled.database == nullptr && error.empty()) error = std::move(compiled.error);
    return compiled.database;
  }

  ~Impl() {
    if (prototype != nullptr) hs_free_scratch(prototype);
    if (db != nullptr) hs_free_database(db);
    if (dotenv_db != nullptr) hs_free_database(dotenv_db);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // The calling thread's scratch space, cloned once per thread from the prototype.
  hs_scratch_t* scratch() {
    thread_local ScratchPtr mine;
    thread_local const Impl* owner = nullptr;
    if (mine == nullptr || owner != this) {
      if (prototype == nullptr) return nullptr;
      hs_scratch_t* clone = nullptr;
      {
        std::lock_guard lock(clone_mutex);
        if (hs_clone_scratch(prototype, &clone) != HS_SUCCESS) return nullptr;
      }
      mine.reset(clone);
      owner = this;
    }
    return mine.get();
  }

  // Candidates of every detector, in text order per detector, from one Vectorscan pass (chunked only past
  // 1 GiB, the block-mode length limit being 32 bits).
  std::vector<Candidate> anchors(std::string_view text, bool dotenv_file) {
    std::vector<Candidate> out;
    hs_database_t* const database = dotenv_file ? dotenv_db : db;
    hs_scratch_t* s = scratch();
    if (database == nullptr || s == nullptr) return out;
    std::vector<std::size_t> last(steps.size(), 0);
    ScanContext ctx{text.data(), 0, dotenv_file, &out, &last, &steps};
    constexpr std::size_t kChunk = std::size_t{1} << 30;
    constexpr std::size_t kOverlap = 8192;
    for (std::size_t start = 0; start < text.size() || start == 0;) {
      const std::size_t len = std::min(kChunk, text.size() - start);
      ctx.base = start;
      hs_scan(database, text.data() + start, static_cast<unsigned int>(len), 0, s, on_anchor, &ctx);
      if (start + len >= text.size()) break;
      start += len - kOverlap;
    }
    return out;
  }

  // Returns the end of the last validator match in the window (0 if none).
  std::size_t validate(std::string_view text, const Candidate& c, std::vector<RawMatch>& out,
                       std::size_t& end_cache_from, std::size_t& end_cache_to, std::size_t& end_cache_found) const;
};

namespace {

// The first "-----END " starting in [from, limit), or npos. The cache remembers that no marker starts in
// [cache_from, cache_found) (or [cache_from, cache_to) when none was found), so that a file full of BEGIN
// lines is still read once.
std::size_t find_end_marker(std::string_view text, std::size_t from, std::size_t limit, std::size_t& cache_from,
                            std::size_t& cache_to, std::size_t& cache_found) {
  constexpr std::string_view kEnd = "-----END ";
  constexpr std::size_t npos = std::string_view::npos;
  const bool cached = cache_from != npos && cache_from <= from;
  if (cached && cache_found != npos && cache_found >= from) return cache_found < limit ? cache_found : npos;
  if (cached && cache_found == npos && cache_to >= limit) return npos;
  std::size_t search_from = from;
  if (cached && cache_found == npos && cache_to > from) {
    search_from = cache_to;  // continue where the previous search stopped
  } else {
    cache_from = from;
  }
  std::size_t found = npos;
  if (search_from < limit && search_from < text.size()) {
    const std::size_t window_end = std::min(text.size(), limit + kEnd.size() - 1);
    const std::size_t pos = text.substr(search_from, window_end - search_from).find(kEnd);
    if (pos != npos) found = search_from + pos;
  }
  cache_to = limit;
  cache_found = found;
  return found;
}

}  // namespace

std::size_t Scanner::Impl::validate(std::string_view text, const Candidate& c, std::vector<RawMatch>& out,
                                    std::size_t& end_cache_from, std::size_t& end_cache_to,
                                    std::size_t& end_cache_found) const {
  const Detector& d = detail::detector_table()[c.detector];
  std::size_t win_begin = c.end > d.back ? c.end - d.back : 0;
  std::size_t win_end = std::min(text.size(), c.end + d.fwd);
  if (d.line_window) {
    for (std::size_t i = c.end; i > win_begin; --i) {
      if (text[i - 1] == '\n' || text[i - 1] == '\r') {
        win_begin = i;
        break;
      }
    }
    for (std::size_t i = c.end; i < win_end; ++i) {
      if (text[i] == '\n' || text[i] == '\r') {
        win_end = i + 1;  // the terminator stays visible: RE2's `$` does not match at an inner endpos
        break;
      }
    }
  }

  if (d.kind == Kind::PrivateKey) {
    const std::string_view before = text.substr(win_begin, c.end - win_begin);
    const std::size_t begin_rel = before.rfind("-----BEGIN ");
    if (begin_rel == std::string_view::npos) return 0;
    std::size_t begin = win_begin + begin_rel;
    constexpr std::size_t kMaxBlock = 64 * 1024;
    const std::size_t end_marker = find_end_marker(text, c.end, std::min(text.size(), c.end + kMaxBlock),
                                                   end_cache_from, end_cache_to, end_cache_found);
    if (end_marker == std::string_view::npos) return 0;
    const std::size_t close_search = end_marker + 9;
    if (close_search > text.size()) return 0;
    const std::size_t close =
        text.substr(close_search, std::min<std::size_t>(64, text.size() - close_search)).find("-----");
    if (close == std::string_view::npos) return 0;
    const std::size_t end = close_search + close + 5;
    const std::string_view end_line = text.substr(end_marker, end - end_marker);
    // Every candidate before this END line ends up judging the same block: consume up to it.
    if (end_line.find("PRIVATE KEY") == std::string_view::npos) return end_marker;
    // The block starts at the last BEGIN before its END ("-----BEGIN ... -----BEGIN ...\n<key>\n-----END").
    std::size_t header_end = c.end;
    const std::size_t inner = text.substr(c.end, end_marker - c.end).rfind("-----BEGIN ");
    if (inner != std::string_view::npos) {
      begin = c.end + inner;
      const std::size_t close_header = text.substr(begin + 11, end_marker - begin - 11).find("-----");
      if (close_header == std::string_view::npos) return end_marker;
      header_end = begin + 11 + close_header + 5;
    }
    if (!has_key_material(text.substr(header_end, end_marker - header_end))) return end_marker;
    out.push_back({d.rule, begin, end - begin});
    return end;
  }

  const RE2* re = validator(c.detector);
  if (re == nullptr) return 0;
  const int groups = re->NumberOfCapturingGroups();
  if (groups < 1 || groups > 8) return 0;
  std::array<re2::StringPiece, 9> sub;
  const re2::StringPiece input(text.data(), text.size());
  std::size_t pos = win_begin;
  std::size_t consumed = 0;
  while (pos <= win_end && re->Match(input, pos, win_end, RE2::UNANCHORED, sub.data(), groups + 1)) {
    const std::size_t match_end = static_cast<std::size_t>(sub[0].data() - text.data()) + sub[0].size();
    pos = std::max(match_end, pos + 1);
    consumed = match_end;
    const int first = d.first_value_group;
    re2::StringPiece value_piece;
    bool found = false;
    bool last_group = false;  // the unquoted alternative of assignments
    for (int g = first; g <= groups; ++g) {
      if (sub[static_cast<std::size_t>(g)].data() != nullptr) {
        value_piece = sub[static_cast<std::size_t>(g)];
        found = true;
        last_group = g == groups;
        break;
      }
    }
    if (!found) continue;
    std::string_view value(value_piece.data(), value_piece.size());
    if (d.kind == Kind::Assignment && last_group) value = before_query_parameter(value);
    const std::size_t offset = static_cast<std::size_t>(value_piece.data() - text.data());
    std::size_t rule = d.rule;
    switch (d.kind) {
      case Kind::Token:
      case Kind::AwsSecret:
        if (value.empty() || heur::is_placeholder(value) || low_diversity(value) || has_long_run(value) ||
            has_counting_run(value) || is_documented_sample(rule, value)) {
          continue;
        }
        if (d.kind == Kind::AwsSecret && text::shannon_entropy(value) < 3.5) continue;
        break;
      case Kind::GcpServiceAccount: {
        const std::size_t header = value.find("PRIVATE KEY-----");
        const std::size_t footer = value.find("-----END");
        if (header == std::string_view::npos || footer == std::string_view::npos || footer < header + 16 ||
            !has_key_material(value.substr(header + 16, footer - header - 16))) {
          continue;
        }
        break;
      }
      case Kind::DatabaseUrl: {
        if (value.empty() || is_user_chosen_placeholder(value) || heur::is_variable_reference(value)) continue;
        // `redis://${REDIS_PASSWORD:-}@host`: the user part opens a variable the password part closes.
        const std::string_view before_value = text.substr(0, offset);
        if (const std::size_t scheme = before_value.rfind("://"); scheme != std::string_view::npos) {
          const std::string_view user = before_value.substr(scheme + 3);
          const std::size_t opened = user.rfind("${");
          if (opened != std::string_view::npos && user.find('}', opened) == std::string_view::npos) continue;
        }
        const std::string_view host(sub[4].data(), sub[4].size());
        if (ends_with_ci(host, ".neon.tech") || ends_with_ci(host, ".neon.build")) rule = detail::kNeonDatabaseUrl;
        break;
      }
      case Kind::UserChosen:
        if (value.empty() || is_user_chosen_placeholder(value) || (last_group && is_code_expression(value))) continue;
        break;
      case Kind::Assignment: {
        const std::string_view key(sub[1].data(), sub[1].size());
        if (!heur::is_secret_name(key) || !looks_random(value, !last_group)) continue;
        break;
      }
      case Kind::Dotenv: {
        const std::string_view key(sub[1].data(), sub[1].size());
        if (!heur::is_secret_name(key) || value.empty() || is_user_chosen_placeholder(value)) continue;
        break;
      }
      case Kind::PrivateKey:
        continue;
    }
    out.push_back({rule, offset, value.size()});
  }
  return consumed;
}

Scanner::Scanner() : impl_(std::make_unique<Impl>()) {}
Scanner::~Scanner() = default;

const Scanner& Scanner::builtin() {
  static const Scanner scanner;
  return scanner;
}

std::span<const Rule> Scanner::rules() const { return detail::rule_table(); }

std::vector<Match> Scanner::scan(std::string_view text, std::string_view path) const {
  std::vector<Match> matches;
  if (text.empty() || is_placeholder_file(path)) return matches;
  const bool dotenv_file = is_dotenv_file(path);

  const std::vector<Candidate> candidates = impl_->anchors(text, dotenv_file);
  std::vector<RawMatch> raw;
  std::size_t cache_from = std::string_view::npos;
  std::size_t cache_to = 0;
  std::size_t cache_found = std::string_view::npos;
  // A candidate whose anchor lies inside what the previous window of its detector already matched was
  // judged with that match ("password=password=..."): skip it.
  std::vector<std::size_t> consumed(detail::detector_table().size(), 0);
  for (const Candidate& c : candidates) {
    std::size_t& until = consumed[c.detector];
    if (c.end <= until) continue;
    until = std::max(until, impl_->validate(text, c, raw, cache_from, cache_to, cache_found));
  }
  if (raw.empty()) return matches;

  // Overlaps: the most specific rule (lowest index) wins, then the longest value, then the earliest.
  std::sort(raw.begin(), raw.end(), [](const RawMatch& a, const RawMatch& b) {
    if (a.rule != b.rule) return a.rule < b.rule;
    if (a.length != b.length) return a.length > b.length;
    return a.offset < b.offset;
  });
  std::map<std::size_t, std::size_t> taken;  // offset -> end of accepted matches
  std::vector<RawMatch> kept;
  for (const RawMatch& m : raw) {
    if (m.length == 0) continue;
    const std::size_t end = m.offset + m.length;
    auto next = taken.lower_bound(m.offset);
    if (next != taken.end() && next->first < end) continue;
    if (next != taken.begin() && std::prev(next)->second > m.offset) continue;
    taken.emplace(m.offset, end);
    kept.push_back(m);
  }
  std::sort(kept.begin(), kept.end(), [](const RawMatch& a, const RawMatch& b) { return a.offset < b.offset; });

  // Lines and columns, in one forward walk; "\r\n", "\n" and a lone "\r" end a line (as text::split_lines).
  const auto& table = detail::rule_table();
  std::size_t pos = 0;
  int line = 1;
  std::size_t line_start = 0;
  const bool has_cr = std::memchr(text.data(), '\r', text.size()) != nullptr;
  auto advance = [&](std::size_t target) {
    if (!has_cr && pos < target) {  // fast path: count newlines in bulk, then find the last one
      const std::size_t newlines = count_newlines(text.data() + pos, target - pos);
      if (newlines > 0) {
        line += static_cast<int>(newlines);
        std::size_t i = target;
        while (text[i - 1] != '\n') --i;
        line_start = i;
      }
      pos = target;
    }
    for (; pos < target; ++pos) {
      const char ch = text[pos];
      if (ch == '\n' || (ch == '\r' && (pos + 1 >= text.size() || text[pos + 1] != '\n'))) {
        ++line;
        line_start = pos + 1;
      }
    }
  };
  matches.reserve(kept.size());
  for (const RawMatch& m : kept) {
    Match out;
    out.rule_id = table[m.rule].id;
    out.rule_name = table[m.rule].name;
    out.offset = m.offset;
    out.length = m.length;
    advance(m.offset);
    out.line = line;
    out.column = static_cast<int>(m.offset - line_start + 1);
    advance(m.offset + m.length);
    out.end_line = line;
    out.end_column = static_cast<int>(m.offset + m.length - line_start + 1);
    out.entropy = text::shannon_entropy(text.substr(m.offset, m.length));
    out.test_input_kind = m.rule == detail::kPrivateKey || m.rule == detail::kDatabaseUrl ||
                          m.rule == detail::kNeonDatabaseUrl ||
                          m.rule == detail::kKafkaSaslPassword || m.rule == detail::kDotenvSecret ||
                          m.rule == detail::kGenericAssignment || m.rule == detail::kJwt;
    matches.push_back(out);
  }
  return matches;
}

std::string value_fingerprint(std::string_view value) {
  // FNV-1a seeded with a constable-specific key: stable across runs and versions, never the value itself.
  constexpr std::uint64_t kSeed = 0x636f6e737461626cULL ^ 0x7365637265747331ULL;  // "constabl" ^ "secrets1"
  return text::hex64(text::fnv1a64(value, kSeed));
}

}  // namespace constable::secrets
