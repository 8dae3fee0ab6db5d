// Sprig's time and randomness: now, date, dateInZone, htmlDate,
// htmlDateInZone, toDate, unixEpoch, uuidv4, randAlphaNum, randAlpha,
// randNumeric, randAscii, shuffle. With Determinism::enabled (constable's default),
// `now` is a fixed instant and random values come from a seeded generator,
// so a render is reproducible. Only the UTC zone is supported.

#include <chrono>
#include <random>

#include <fmt/format.h>

#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second, weekday, yday;
};

Civil civil(std::int64_t unix) {
  using namespace std::chrono;
  const auto tp = sys_seconds(seconds(unix));
  const auto day_point = floor<days>(tp);
  const year_month_day ymd(day_point);
  const hh_mm_ss hms(tp - day_point);
  const weekday wd(day_point);
  const auto jan1 = sys_days(year_month_day(ymd.year(), January, day(1)));
  return Civil{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
               static_cast<unsigned>(hms.hours().count()), static_cast<unsigned>(hms.minutes().count()),
               static_cast<unsigned>(hms.seconds().count()), wd.c_encoding(),
               static_cast<unsigned>((day_point - jan1).count()) + 1};
}

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

// Go's time.Format for the layout elements charts use, in UTC.
std::string go_format_time(std::string_view layout, std::int64_t unix, std::int64_t nanos) {
  const Civil c = civil(unix);
  std::string out;
  auto starts = [&](std::size_t i, std::string_view token) { return layout.substr(i).starts_with(token); };
  for (std::size_t i = 0; i < layout.size();) {
    if (starts(i, "2006")) { out += fmt::format("{:04}", c.year); i += 4; }
    else if (starts(i, "January")) { out += kMonths[c.month - 1]; i += 7; }
    else if (starts(i, "Jan")) { out += std::string(kMonths[c.month - 1]).substr(0, 3); i += 3; }
    else if (starts(i, "Monday")) { out += kDays[c.weekday]; i += 6; }
    else if (starts(i, "Mon")) { out += std::string(kDays[c.weekday]).substr(0, 3); i += 3; }
    else if (starts(i, "MST")) { out += "UTC"; i += 3; }
    else if (starts(i, "01")) { out += fmt::format("{:02}", c.month); i += 2; }
    else if (starts(i, "02")) { out += fmt::format("{:02}", c.day); i += 2; }
    else if (starts(i, "06")) { out += fmt::format("{:02}", c.year % 100); i += 2; }
    else if (starts(i, "_2")) { out += fmt::format("{:>2}", c.day); i += 2; }
    else if (starts(i, "15")) { out += fmt::format("{:02}", c.hour); i += 2; }
    else if (starts(i, "03")) { out += fmt::format("{:02}", c.hour % 12 == 0 ? 12 : c.hour % 12); i += 2; }
    else if (starts(i, "04")) { out += fmt::format("{:02}", c.minute); i += 2; }
    else if (starts(i, "05")) { out += fmt::format("{:02}", c.second); i += 2; }
    else if (starts(i, "002")) { out += fmt::format("{:03}", c.yday); i += 3; }
    else if (starts(i, "Z07:00")) { out += "Z"; i += 6; }
    else if (starts(i, "Z0700")) { out += "Z"; i += 5; }
    else if (starts(i, "-07:00")) { out += "+00:00"; i += 6; }
    else if (starts(i, "-0700")) { out += "+0000"; i += 5; }
    else if (starts(i, "PM")) { out += c.hour >= 12 ? "PM" : "AM"; i += 2; }
    else if (starts(i, "pm")) { out += c.hour >= 12 ? "pm" : "am"; i += 2; }
    else if ((starts(i, ".0") || starts(i, ".9") || starts(i, ",0") || starts(i, ",9"))) {
      const char digit = layout[i + 1];
      std::size_t j = i + 1;
      while (j < layout.size() && layout[j] == digit) ++j;
      const std::size_t n = j - i - 1;
      std::string frac = fmt::format("{:09}", nanos).substr(0, std::min<std::size_t>(n, 9));
      if (digit == '9') {
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        if (!frac.empty()) out += layout[i] + frac;
      } else {
        out += layout[i] + frac;
      }
      i = j;
    }
    else if (starts(i, "1")) { out += std::to_string(c.month); i += 1; }
    else if (starts(i, "2")) { out += std::to_string(c.day); i += 1; }
    else if (starts(i, "3")) { out += std::to_string(c.hour % 12 == 0 ? 12 : c.hour % 12); i += 1; }
    else if (starts(i, "4")) { out += std::to_string(c.minute); i += 1; }
    else if (starts(i, "5")) { out += std::to_string(c.second); i += 1; }
    else { out += layout[i]; i += 1; }
  }
  return out;
}

class TimeObject : public Object {
 public:
  TimeObject(std::int64_t unix, std::int64_t nanos) : unix_(unix), nanos_(nanos) {}
  std::string type_name() const override { return "time.Time"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Unix") return Value::of_int(unix_, IntType::go_int64);
    if (name == "Year") return Value::of_int(civil(unix_).year);
    if (name == "YearDay") return Value::of_int(civil(unix_).yday);
    if (name == "UTC" || name == "Local") return Value::of(std::shared_ptr<const Object>(std::make_shared<TimeObject>(unix_, nanos_)));
    return std::nullopt;
  }
  bool has_method(std::string_view name) const override { return name == "Format"; }
  Result<Value> call_method(std::string_view, std::span<const Value> args) const override {
    if (args.size() != 1 || !args[0].is_string())
      return fail(fmt::format("wrong number of args for Format: want 1 got {}", args.size()));
    return Value::of(go_format_time(args[0].string, unix_, nanos_));
  }
  std::string to_string() const override {
    return go_format_time("2006-01-02 15:04:05.999999999 -0700 MST", unix_, nanos_);
  }
  std::int64_t unix() const { return unix_; }

 private:
  std::int64_t unix_;
  std::int64_t nanos_;
};

Value time_value(std::int64_t unix, std::int64_t nanos = 0) {
  return Value::of(std::shared_ptr<const Object>(std::make_shared<TimeObject>(unix, nanos)));
}

}  // namespace

std::int64_t now_unix(const Call& c) {
  if (c.determinism != nullptr && c.determinism->enabled) return c.determinism->now_unix;
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

// Sprig's date accepts time.Time, *time.Time and integer unix seconds; anything else is "now".
std::int64_t as_unix(const Call& c, const Value& v) {
  if (v.kind == Kind::object)
    if (const auto* t = dynamic_cast<const TimeObject*>(v.object.get())) return t->unix();
  if (v.kind == Kind::integer) return v.integer;
  return now_unix(c);
}

}  // namespace

std::uint64_t next_random(Call& c) {
  if (c.determinism == nullptr || !c.determinism->enabled) {
    static std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) | device();
  }
  // splitmix64
  std::uint64_t z = (*c.random_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

namespace {

Expected<Value> random_string(Call& c, std::int64_t n, std::string_view alphabet) {
  if (n < 0 || static_cast<std::uint64_t>(n) > c.max_items) return func_error("random string length out of range");
  std::string out;
  for (std::int64_t i = 0; i < n; ++i) out += alphabet[next_random(c) % alphabet.size()];
  return Value::of(std::move(out));
}

// Go's time.Parse for numeric layouts (2006 01 02 15 04 05 and literals), UTC.
std::optional<std::int64_t> parse_time(std::string_view layout, std::string_view value) {
  int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::size_t v = 0;
  auto number = [&](std::size_t digits, int& target) {
    if (v + digits > value.size()) return false;
    int n = 0;
    for (std::size_t k = 0; k < digits; ++k) {
      const char ch = value[v + k];
      if (ch < '0' || ch > '9') return false;
      n = n * 10 + (ch - '0');
    }
    target = n;
    v += digits;
    return true;
  };
  for (std::size_t i = 0; i < layout.size();) {
    auto starts = [&](std::string_view token) { return layout.substr(i).starts_with(token); };
    bool ok = true;
    if (starts("2006")) ok = number(4, year), i += 4;
    else if (starts("01")) ok = number(2, month), i += 2;
    else if (starts("02")) ok = number(2, day), i += 2;
    else if (starts("15")) ok = number(2, hour), i += 2;
    else if (starts("04")) ok = number(2, minute), i += 2;
    else if (starts("05")) ok = number(2, second), i += 2;
    else {
      ok = v < value.size() && value[v] == layout[i];
      ++i;
      ++v;
    }
    if (!ok) return std::nullopt;
  }
  if (v != value.size()) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                           std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count() * 86400LL + hour * 3600 + minute * 60 + second;
}

}  // namespace

void add_time_functions(FunctionTable& t) {
  using P = Param;
  t["now"] = Function{{}, false, [](Call& c, Args) -> Expected<Value> { return time_value(now_unix(c)); }};
  t["date"] = Function{{P::string, P::any}, false, [](Call& c, Args a) -> Expected<Value> {
                         return Value::of(go_format_time(a[0].string, as_unix(c, a[1]), 0));
                       }};
  t["dateInZone"] = Function{{P::string, P::any, P::string}, false, [](Call& c, Args a) -> Expected<Value> {
                               if (a[2].string != "UTC" && !a[2].string.empty())
                                 return func_error(fmt::format("time zone {} is not supported (only UTC)", a[2].string), ErrorKind::unsupported);
                               return Value::of(go_format_time(a[0].string, as_unix(c, a[1]), 0));
                             }};
  t["htmlDate"] = Function{{P::any}, false, [](Call& c, Args a) -> Expected<Value> {
                             return Value::of(go_format_time("2006-01-02", as_unix(c, a[0]), 0));
                           }};
  t["htmlDateInZone"] = Function{{P::any, P::string}, false, [](Call& c, Args a) -> Expected<Value> {
                                   return Value::of(go_format_time("2006-01-02", as_unix(c, a[0]), 0));
                                 }};
  t["toDate"] = Function{{P::string, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                           auto unix = parse_time(a[0].string, a[1].string);
                           return time_value(unix.value_or(-62135596800LL));  // Go's zero time on error
                         }};
  t["unixEpoch"] = Function{{P::any}, false, [](Call& c, Args a) -> Expected<Value> {
                              return Value::of(std::to_string(as_unix(c, a[0])));
                            }};
  t["uuidv4"] = Function{{}, false, [](Call& c, Args) -> Expected<Value> {
                           std::uint64_t hi = next_random(c), lo = next_random(c);
                           hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
                           lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
                           return Value::of(fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                                                        hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL));
                         }};
  t["randAlphaNum"] = Function{{P::go_int}, false, [](Call& c, Args a) {
                                 return random_string(c, a[0].integer, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
                               }};
  t["randAlpha"] = Function{{P::go_int}, false, [](Call& c, Args a) {
                              return random_string(c, a[0].integer, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
                            }};
  t["randNumeric"] = Function{{P::go_int}, false, [](Call& c, Args a) { return random_string(c, a[0].integer, "0123456789"); }};
  t["randAscii"] = Function{{P::go_int}, false, [](Call& c, Args a) {
                              return random_string(c, a[0].integer,
                                                   "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");
                            }};
  // The string's code points in random order (UTF-8 stays valid), from the
  // same seeded source. Bitnami's common chart uses it for strong passwords.
  t["shuffle"] = Function{{P::string}, false, [](Call& c, Args a) -> Expected<Value> {
                            std::vector<std::string> chars;
                            const std::string& s = a[0].string;
                            for (std::size_t i = 0; i < s.size();) {
                              std::size_t n = 1;
                              const auto lead = static_cast<unsigned char>(s[i]);
                              if (lead >= 0xF0) n = 4;
                              else if (lead >= 0xE0) n = 3;
                              else if (lead >= 0xC0) n = 2;
                              chars.push_back(s.substr(i, n));
                              i += n;
                            }
                            for (std::size_t i = chars.size(); i > 1; --i) std::swap(chars[i - 1], chars[next_random(c) % i]);
                            std::string out;
                            for (const auto& ch : chars) out += ch;
                            return Value::of(std::move(out));
                          }};
}

}  // namespace constable::helm::tmpl
