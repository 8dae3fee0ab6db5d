#include "engine/result_cache.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "core/cache.hpp"
#include "core/files.hpp"
#include "engine/charts.hpp"

namespace constable::engine {

namespace {

// Bumped whenever the layout below changes: an entry of another format misses.
constexpr std::string_view kMagic = "constable results 3\n";
constexpr std::string_view kChartsMagic = "constable charts 1\n";
// A repository of 40,000 files with many findings stays well below this.
constexpr std::uintmax_t kMaxEntryBytes = 1024ULL * 1024 * 1024;

class Writer {
 public:
  void u8(std::uint8_t v) { out_ += static_cast<char>(v); }
  void u64(std::uint64_t v) {
    // LEB128: most numbers here (lines, counts) take one byte.
    do {
      std::uint8_t byte = v & 0x7F;
      v >>= 7;
      if (v != 0) byte |= 0x80;
      u8(byte);
    } while (v != 0);
  }
  void i64(std::int64_t v) { u64((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void bytes(std::string_view s) {
    u64(s.size());
    out_ += s;
  }
  void digest(const digest::Sha256& d) { out_.append(reinterpret_cast<const char*>(d.data()), d.size()); }

  void range(const SourceRange& r) {
    i64(r.line);
    i64(r.column);
    i64(r.end_line);
    i64(r.end_column);
  }
  void stat(const std::optional<StatSignature>& s) {
    boolean(s.has_value());
    if (!s) return;
    for (std::uint64_t v : {s->size, s->mtime_ns, s->ctime_ns, s->inode, s->device}) u64(v);
  }
  void dependencies(const std::vector<Dependency>& list) {
    u64(list.size());
    for (const auto& d : list) {
      bytes(d.path);
      stat(d.stat);
      boolean(d.present);
      digest(d.content);
    }
  }
  void notes(const std::vector<workspace::Note>& list) {
    u64(list.size());
    for (const auto& n : list) {
      bytes(n.path);
      bytes(n.message);
    }
  }
  void emissions(const std::vector<StoredEmission>& list) {
    u64(list.size());
    for (const auto& e : list) {
      bytes(e.check_id);
      bytes(e.clause_id);
      bytes(e.emission_clause_id);
      range(e.emission.range);
      bytes(e.emission.message);
      bytes(e.emission.remediation);
      u64(e.emission.secrets.size());
      for (const auto& s : e.emission.secrets) range(s);
      bytes(e.emission.path_override);
      bytes(e.emission.environment);
      bytes(e.emission.anchor);
    }
  }
  void findings(const std::vector<Finding>& list) {
    u64(list.size());
    for (const auto& f : list) {
      bytes(f.check_id);
      bytes(f.clause_id);
      bytes(f.clause_text);
      bytes(f.clause_section);
      i64(f.clause_line);
      u8(static_cast<std::uint8_t>(f.severity));
      bytes(f.path);
      range(f.range);
      bytes(f.message);
      bytes(f.remediation);
      bytes(f.snippet);
      bytes(f.fingerprint);
      bytes(f.anchor);
      u64(f.also_at.size());
      for (const auto& a : f.also_at) {
        range(a.range);
        bytes(a.message);
      }
      boolean(f.suppression.has_value());
      if (f.suppression) {
        u8(static_cast<std::uint8_t>(f.suppression->kind));
        bytes(f.suppression->reason);
        bytes(f.suppression->owner);
        boolean(f.suppression->expires.has_value());
        if (f.suppression->expires) i64(f.suppression->expires->days_since_epoch());
        bytes(f.suppression->source);
      }
    }
  }
  void file(std::string_view path, const StoredFile& file) {
    bytes(path);
    stat(file.stat);
    digest(file.content);
    u8(static_cast<std::uint8_t>(file.kind));
    boolean(file.suppresses);
    boolean(file.collected);
    bytes(file.emitted.bytes());
    notes(file.notes);
    boolean(file.in_manifest_set);
    boolean(file.awaits_manifests);
    dependencies(file.dependencies);
    boolean(file.finalized);
    digest(file.finalized_from);
    bytes(file.findings.bytes());
  }
  void phase(const StoredPhase& p) {
    boolean(p.present);
    digest(p.key);
    dependencies(p.dependencies);
    u64(p.emitted.size());
    for (const auto& about : p.emitted) {
      bytes(about.path);
      bytes(about.emitted.bytes());
    }
    notes(p.notes);
  }

  void chart_problems(const std::vector<ChartProblem>& list) {
    u64(list.size());
    for (const auto& p : list) {
      bytes(p.path);
      range(p.range);
      bytes(p.message);
    }
  }
  void render(const StoredRender& r) {
    bytes(r.values_file);
    u64(r.paths.size());
    for (const auto& path : r.paths) bytes(path);
    u64(r.manifests.size());
    for (const auto& m : r.manifests) {
      bytes(m.template_file);
      bytes(m.content);
      u64(m.lines.size());
      for (const auto& l : m.lines) {
        u64(l.path);
        i64(l.line);
        i64(l.column);
        u64(l.value_path);
        i64(l.value_line);
        boolean(l.release_namespace);
      }
    }
    chart_problems(r.problems);
    notes(r.notes);
    bytes(r.left_out);
  }
  void chart(std::string_view dir, const StoredChart& c) {
    bytes(dir);
    digest(c.key);
    dependencies(c.dependencies);
    chart_problems(c.load_problems);
    u64(c.renders.size());
    for (const auto& r : c.renders) render(r);
  }

  void reserve(std::size_t size) { out_.reserve(size); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote; any inconsistency (truncation, a count larger than
// what is left, an out-of-range enumerator) fails the whole entry.
class EntryReader {
 public:
  explicit EntryReader(std::string_view in, std::shared_ptr<const std::string> owner = nullptr)
      : in_(in), owner_(std::move(owner)) {}

  bool ok() const { return ok_; }
  bool at_end() const { return in_.empty(); }

  std::uint8_t u8() {
    if (in_.empty()) return fail<std::uint8_t>();
    const auto v = static_cast<std::uint8_t>(in_.front());
    in_.remove_prefix(1);
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && ok_; shift += 7) {
      const std::uint8_t byte = u8();
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    return fail<std::uint64_t>();
  }
  std::int64_t i64() {
    const std::uint64_t v = u64();
    return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  int integer() {
    const std::int64_t v = i64();
    if (v < INT32_MIN || v > INT32_MAX) return fail<int>();
    return static_cast<int>(v);
  }
  bool boolean() {
    const std::uint8_t v = u8();
    if (v > 1) return fail<bool>();
    return v == 1;
  }
  std::string bytes() {
    const std::uint64_t size = u64();
    if (!ok_ || size > in_.size()) return fail<std::string>();
    std::string s(in_.substr(0, size));
    in_.remove_prefix(size);
    return s;
  }
  digest::Sha256 digest() {
    digest::Sha256 d{};
    if (in_.size() < d.size()) return fail<digest::Sha256>();
    std::memcpy(d.data(), in_.data(), d.size());
    in_.remove_prefix(d.size());
    return d;
  }
  // `read` once per item of a counted list; the list grows only with what
  // decodes, so a corrupt count cannot make it allocate more than the entry holds.
  template <typename T, typename Read>
  std::vector<T> list_of(Read read) {
    const std::size_t n = count();
    std::vector<T> list;
    list.reserve(std::min<std::size_t>(n, 1024));
    for (std::size_t i = 0; i < n && ok_; ++i) list.push_back(read());
    return list;
  }
  // A count of items each at least one byte long.
  std::size_t count() {
    const std::uint64_t n = u64();
    if (n > in_.size()) return fail<std::size_t>();
    return static_cast<std::size_t>(n);
  }

  SourceRange range() {
    SourceRange r;
    r.line = integer();
    r.column = integer();
    r.end_line = integer();
    r.end_column = integer();
    return r;
  }
  std::optional<StatSignature> stat() {
    if (!boolean()) return std::nullopt;
    StatSignature s;
    for (std::uint64_t* v : {&s.size, &s.mtime_ns, &s.ctime_ns, &s.inode, &s.device}) *v = u64();
    return s;
  }
  std::vector<Dependency> dependencies() {
    return list_of<Dependency>([&] {
      Dependency d;
      d.path = bytes();
      d.stat = stat();
      d.present = boolean();
      d.content = digest();
      return d;
    });
  }
  std::vector<workspace::Note> notes() {
    return list_of<workspace::Note>([&] {
      workspace::Note n;
      n.path = bytes();
      n.message = bytes();
      return n;
    });
  }
  std::vector<StoredEmission> emissions() {
    return list_of<StoredEmission>([&] {
      StoredEmission e;
      e.check_id = bytes();
      e.clause_id = bytes();
      e.emission_clause_id = bytes();
      e.emission.range = range();
      e.emission.message = bytes();
      e.emission.remediation = bytes();
      e.emission.secrets = list_of<SourceRange>([&] { return range(); });
      e.emission.path_override = bytes();
      e.emission.environment = bytes();
      e.emission.anchor = bytes();
      return e;
    });
  }
  // A list kept encoded: checked only for fitting in the entry, decoded
  // (and checked through) where it is used.
  template <typename Item>
  EncodedList<Item> encoded_list() {
    const std::uint64_t size = u64();
    if (!ok_ || size > in_.size()) return fail<EncodedList<Item>>();
    const std::string_view bytes = in_.substr(0, size);
    in_.remove_prefix(size);
    return EncodedList<Item>(owner_, bytes);
  }
  std::vector<Finding> findings() {
    return list_of<Finding>([&] {
      Finding f;
      f.check_id = bytes();
      f.clause_id = bytes();
      f.clause_text = bytes();
      f.clause_section = bytes();
      f.clause_line = integer();
      const std::uint8_t severity = u8();
      if (severity > static_cast<std::uint8_t>(Severity::low)) return fail<Finding>();
      f.severity = static_cast<Severity>(severity);
      f.path = bytes();
      f.range = range();
      f.message = bytes();
      f.remediation = bytes();
      f.snippet = bytes();
      f.fingerprint = bytes();
      f.anchor = bytes();
      f.also_at = list_of<RelatedLocation>([&] {
        RelatedLocation a;
        a.range = range();
        a.message = bytes();
        return a;
      });
      if (boolean()) {
        Suppression s;
        const std::uint8_t kind = u8();
        if (kind > static_cast<std::uint8_t>(Suppression::Kind::waiver)) return fail<Finding>();
        s.kind = static_cast<Suppression::Kind>(kind);
        s.reason = bytes();
        s.owner = bytes();
        if (boolean()) {
          // Within years 0..9999: a damaged number never reaches the date arithmetic.
          const std::int64_t days = i64();
          if (days < -719'528 || days > 2'932'896) return fail<Finding>();
          s.expires = Date::from_days_since_epoch(static_cast<long>(days));
        }
        s.source = bytes();
        f.suppression = std::move(s);
      }
      return f;
    });
  }
  // A file's entry, after its path.
  StoredFile file() {
    StoredFile file;
    file.stat = stat();
    file.content = digest();
    const std::uint8_t kind = u8();
    if (kind > static_cast<std::uint8_t>(FileKind::source)) return fail<StoredFile>();  // the last kind
    file.kind = static_cast<FileKind>(kind);
    file.suppresses = boolean();
    file.collected = boolean();
    file.emitted = encoded_list<StoredEmission>();
    file.notes = notes();
    file.in_manifest_set = boolean();
    file.awaits_manifests = boolean();
    file.dependencies = dependencies();
    file.finalized = boolean();
    file.finalized_from = digest();
    file.findings = encoded_list<Finding>();
    return file;
  }
  std::vector<ChartProblem> chart_problems() {
    return list_of<ChartProblem>([&] {
      ChartProblem p;
      p.path = bytes();
      p.range = range();
      p.message = bytes();
      return p;
    });
  }
  StoredRender render() {
    StoredRender r;
    r.values_file = bytes();
    r.paths = list_of<std::string>([&] { return bytes(); });
    const std::size_t paths = r.paths.size();
    r.manifests = list_of<StoredRender::Manifest>([&] {
      StoredRender::Manifest m;
      m.template_file = bytes();
      m.content = bytes();
      m.lines = list_of<StoredRender::Line>([&] {
        StoredRender::Line l;
        const std::uint64_t path = u64();
        l.line = integer();
        l.column = integer();
        const std::uint64_t value_path = u64();
        l.value_line = integer();
        l.release_namespace = boolean();
        // Indexes into the render's paths, checked here so a damaged file
        // never reaches a lookup.
        if (path >= paths || value_path > paths) return fail<StoredRender::Line>();
        l.path = static_cast<std::uint32_t>(path);
        l.value_path = static_cast<std::uint32_t>(value_path);
        return l;
      });
      return m;
    });
    r.problems = chart_problems();
    r.notes = notes();
    r.left_out = bytes();
    return r;
  }
  StoredChart chart() {
    StoredChart c;
    c.key = digest();
    c.dependencies = dependencies();
    c.load_problems = chart_problems();
    c.renders = list_of<StoredRender>([&] { return render(); });
    return c;
  }
  StoredPhase phase() {
    StoredPhase p;
    p.present = boolean();
    p.key = digest();
    p.dependencies = dependencies();
    const std::size_t paths = count();
    p.emitted.reserve(paths);
    for (std::size_t i = 0; i < paths && ok_; ++i) {
      std::string path = bytes();
      p.emitted.push_back(EmissionsAbout{std::move(path), encoded_list<StoredEmission>()});
    }
    p.notes = notes();
    return p;
  }

 private:
  template <typename T>
  T fail() {
    ok_ = false;
    in_ = {};
    return T{};
  }

  std::string_view in_;
  std::shared_ptr<const std::string> owner_;  // of what `in_` views, for the encoded emissions
  bool ok_ = true;
};

}  // namespace

template <typename Item>
EncodedList<Item>::EncodedList() : bytes_("\0", 1) {}  // a count of zero

template <typename Item>
EncodedList<Item>::EncodedList(const std::vector<Item>& items) {
  Writer w;
  if constexpr (std::is_same_v<Item, StoredEmission>) w.emissions(items);
  else w.findings(items);
  owner_ = std::make_shared<const std::string>(w.take());
  bytes_ = *owner_;
}

template <typename Item>
EncodedList<Item>::EncodedList(std::shared_ptr<const std::string> owner, std::string_view bytes)
    : owner_(std::move(owner)), bytes_(bytes) {}

template <typename Item>
std::optional<std::vector<Item>> EncodedList<Item>::decode() const {
  EntryReader r(bytes_);
  std::vector<Item> items;
  if constexpr (std::is_same_v<Item, StoredEmission>) items = r.emissions();
  else items = r.findings();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return items;
}

template class EncodedList<StoredEmission>;
template class EncodedList<Finding>;

void DependencyRecorder::observe(const std::filesystem::path& file, const files::Outcome<std::string>& outcome) {
  std::string path = file.string();
  if (path == own_) return;
  Dependency dependency{path, stat_signature(file, fresh_after_ns_), outcome.has_value(), {}};
  if (outcome) dependency.content = digest::sha256(*outcome);
  const std::lock_guard lock(mutex_);
  read_.insert_or_assign(std::move(path), std::move(dependency));
}

std::vector<Dependency> DependencyRecorder::take() {
  const std::lock_guard lock(mutex_);
  std::vector<Dependency> out;
  for (auto& [path, dependency] : read_) out.push_back(std::move(dependency));
  return out;
}

std::optional<StatSignature> stat_signature(const std::filesystem::path& file, std::uint64_t fresh_after_ns) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  return unless_fresh(files::signature_of(st), fresh_after_ns);
}

std::optional<StatSignature> unless_fresh(const StatSignature& signature, std::uint64_t fresh_after_ns) {
  // "Racily clean", as git calls it: changed in the same tick as it was read.
  if (fresh_after_ns != 0 && (signature.mtime_ns >= fresh_after_ns || signature.ctime_ns >= fresh_after_ns))
    return std::nullopt;
  return signature;
}

bool dependencies_hold(const std::vector<Dependency>& dependencies, const KnownSignatures& known) {
  for (const auto& d : dependencies) {
    const std::optional<StatSignature>* already = known ? known(d.path) : nullptr;
    const auto now = already != nullptr && already->has_value() ? **already : stat_signature(d.path);
    if (now && d.stat && *now == *d.stat) continue;
    if (!now && !d.present) continue;
    // Changed stat data, same content (a touched or checked-out file) still holds.
    auto content = files::read(d.path, {.max_size = kMaxEntryBytes, .confine_to = {}, .display = d.path});
    if (content.has_value() != d.present) return false;
    if (content && digest::sha256(*content) != d.content) return false;
  }
  return true;
}

namespace {

// Entries of one repository share this prefix, whatever their salt.
std::string repository_prefix(const std::filesystem::path& root) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(root, ec).lexically_normal();
  return "results-" + digest::sha256_hex(absolute.string()).substr(0, 32) + "-";
}

}  // namespace

std::string result_cache_name(const std::filesystem::path& root, const digest::Sha256& salt) {
  return repository_prefix(root) + digest::hex(salt).substr(0, 32) + ".bin";
}

std::string results_header(const digest::Sha256& salt) {
  Writer w;
  w.bytes(kMagic);
  w.digest(salt);
  return w.take();
}

std::string encode_results(const digest::Sha256& salt, const StoredRun& run) {
  Writer w;
  // Reserved once (an entry can be tens of megabytes): a little over what
  // the files' encoded emissions, findings and dependencies take.
  std::size_t size = 4096;
  for (const auto* files : {&run.files, &run.late_files}) {
    for (const auto& [path, file] : *files) {
      size += 256 + path.size() + file.emitted.bytes().size() + file.findings.bytes().size() +
              file.dependencies.size() * 128;
    }
  }
  for (const StoredPhase* phase : {&run.repository, &run.manifests}) {
    size += phase->dependencies.size() * 128;
    for (const auto& about : phase->emitted) size += 16 + about.path.size() + about.emitted.bytes().size();
  }
  w.reserve(size);
  w.bytes(kMagic);
  w.digest(salt);
  for (const auto* files : {&run.files, &run.late_files}) {
    w.u64(files->size());
    for (const auto& [path, file] : *files) w.file(path, file);
  }
  w.phase(run.repository);
  w.phase(run.manifests);
  return w.take();
}

std::optional<StoredRun> decode_results(std::string_view bytes, const digest::Sha256& salt) {
  return decode_results(std::make_shared<const std::string>(bytes), salt);
}

std::optional<StoredRun> decode_results(std::shared_ptr<const std::string> bytes, const digest::Sha256& salt) {
  EntryReader r(*bytes, bytes);
  if (r.bytes() != kMagic || r.digest() != salt || !r.ok()) return std::nullopt;
  StoredRun run;
  for (auto* files : {&run.files, &run.late_files}) {
    const std::size_t count = r.count();
    for (std::size_t i = 0; i < count && r.ok(); ++i) {
      std::string path = r.bytes();
      files->insert_or_assign(std::move(path), r.file());
    }
  }
  run.repository = r.phase();
  run.manifests = r.phase();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return run;
}

std::optional<StoredRun> load_results(const std::filesystem::path& directory, std::string_view name,
                                      const digest::Sha256& salt) {
  auto bytes = cache::read(directory, name, kMaxEntryBytes);
  if (!bytes) return std::nullopt;
  return decode_results(std::make_shared<const std::string>(std::move(*bytes)), salt);
}

void save_results(const std::filesystem::path& directory, std::string_view name, const digest::Sha256& salt,
                  const StoredRun& run) {
  cache::write(directory, name, encode_results(salt, run));
  // The repository's entries made with another salt (a rebuilt constable, an
  // amended constitution) can never be used again: one entry per repository.
  const std::string_view prefix = std::string_view(name).substr(0, std::string_view(name).rfind('-') + 1);
  const std::string charts = chart_cache_name(name);
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(directory, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (entry != name && entry != charts && entry.starts_with(prefix) &&
        (entry.ends_with(".bin") || entry.ends_with(".charts"))) {
      std::error_code removed;
      std::filesystem::remove(it->path(), removed);
    }
  }
}

std::string chart_cache_name(std::string_view results_name) {
  std::string name(results_name);
  if (name.ends_with(".bin")) name.resize(name.size() - 4);
  return name + ".charts";
}

std::string charts_header(const digest::Sha256& salt) {
  Writer w;
  w.bytes(kChartsMagic);
  w.digest(salt);
  return w.take();
}

std::string encode_charts(const digest::Sha256& salt, const StoredCharts& charts) {
  Writer w;
  w.bytes(kChartsMagic);
  w.digest(salt);
  w.u64(charts.size());
  for (const auto& [dir, chart] : charts) w.chart(dir, chart);
  return w.take();
}

std::optional<StoredCharts> decode_charts(std::string_view bytes, const digest::Sha256& salt) {
  EntryReader r(bytes);
  if (r.bytes() != kChartsMagic || r.digest() != salt || !r.ok()) return std::nullopt;
  StoredCharts charts;
  const std::size_t count = r.count();
  for (std::size_t i = 0; i < count && r.ok(); ++i) {
    std::string dir = r.bytes();
    charts.insert_or_assign(std::move(dir), r.chart());
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return charts;
}

std::optional<StoredCharts> load_charts(const std::filesystem::path& directory, std::string_view name,
                                        const digest::Sha256& salt) {
  auto bytes = cache::read(directory, chart_cache_name(name), kMaxEntryBytes);
  if (!bytes) return std::nullopt;
  return decode_charts(*bytes, salt);
}

void save_charts(const std::filesystem::path& directory, std::string_view name, const digest::Sha256& salt,
                 const StoredCharts& charts) {
  cache::write(directory, chart_cache_name(name), encode_charts(salt, charts));
}

}  // namespace constable::engine
