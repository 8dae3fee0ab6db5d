#pragma once
// `constable mcp`: the Model Context Protocol server coding agents ask before
// they write ("what does the constitution require of a Dockerfile?") and
// after ("does this file break it?"). One dispatcher of JSON-RPC messages,
// independent of the transport (mcp/transport.hpp carries them over stdio or
// Streamable HTTP), so a stateless protocol revision changes one place.
//
// It reaches the engine as `constable serve` does: a snapshot of the
// constitution, configuration and bound checks (serve/snapshot.hpp), and the
// app's functions for runs over a repository.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "core/error.hpp"
#include "serve/snapshot.hpp"

namespace constable::mcp {

// The revisions this server speaks, newest first; a client asking for
// another gets the newest.
inline constexpr std::string_view kProtocolVersions[] = {"2025-11-25", "2025-06-18", "2025-03-26"};

struct Options {
  serve::Sources sources;             // constitution and configuration, as `serve` takes them
  std::filesystem::path root = ".";  // the repository agents work in: relative paths resolve here
  std::optional<Date> today;
  std::string store;  // the audit store list_overdue reads; "" for <root>/.constable/audit.db
};

// What one client negotiated (one per stdio process, one per HTTP session).
struct Connection {
  bool initialized = false;  // initialize answered
  std::string protocol_version;
};

class Server {
 public:
  // Loads the snapshot: the constitution named, else the one `check` would
  // find under the root.
  static Result<std::unique_ptr<Server>> create(Options options);

  // One message: a request gets its response, a notification or a response
  // nothing (nullopt). Never throws; an invalid message gets a JSON-RPC error.
  std::optional<nlohmann::json> handle(const nlohmann::json& message, Connection& connection) const;
  // The same from text: a parse error is answered with code -32700.
  std::optional<std::string> handle_text(std::string_view text, Connection& connection) const;

  const serve::Snapshot& snapshot() const { return *snapshot_; }
  const Options& options() const { return options_; }
  Date today() const { return options_.today.value_or(Date::today()); }

 private:
  Server(Options options, std::shared_ptr<const serve::Snapshot> snapshot)
      : options_(std::move(options)), snapshot_(std::move(snapshot)) {}
  nlohmann::json dispatch(std::string_view method, const nlohmann::json& params, Connection& connection) const;

  Options options_;
  std::shared_ptr<const serve::Snapshot> snapshot_;
};

// A JSON-RPC error raised by a method: code, message, and optional data.
struct RpcError {
  int code;
  std::string message;
};
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kResourceNotFound = -32002;

}  // namespace constable::mcp
