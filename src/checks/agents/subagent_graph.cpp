// agents/subagent-graph: "Circular dependencies are STRICTLY PROHIBITED" and
// "Maximum subagent depth: 3 levels" (the sibling clause, read in
// bind_section). The graph is the OpenAI Agents SDK's, from code: an agent
// depends on the agents it hands off to (`handoffs=[...]`, `handoff(x)`,
// `x.handoffs.append(...)`) and on those it calls as tools (`x.as_tool()`).
// Each cycle and each chain deeper than the clause allows is a finding that
// shows the path.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/agents/agents_checks.hpp"
#include "checks/agents/agents_support.hpp"

namespace constable::checks::agents {

namespace {
namespace subagent_graph_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/subagent-graph",
    .domain = "agents",
    .nature = Nature::reliability,
    .summary = "Keep the subagent graph acyclic and within the allowed depth",
    .rationale =
        "An agent that hands off to, or calls as a tool, an agent that leads back to it can loop until a turn "
        "limit stops it, and a long chain of subagents multiplies latency, cost and the context each one "
        "loses. The constitution prohibits circular dependencies between agents and bounds the depth of "
        "subagent chains; both are read from the code's `handoffs` and `as_tool` wiring.",
    .remediation = "Break the cycle (let the specialist return its result instead of handing back to its "
                   "caller, or route through an orchestrator that is not itself a handoff target) and flatten "
                   "chains deeper than the limit.",
    .bad_example = "triage = Agent(name=\"Triage\", handoffs=[billing])\nbilling.handoffs.append(triage)\n",
    .good_example = "billing = Agent(name=\"Billing\")\ntriage = Agent(name=\"Triage\", handoffs=[billing])\n",
    .parameters = "maximum subagent depth (levels), from the sibling clause",
    .clause = {.section = "subagent composition", .text = "circular"},
    .file_kind = FileKind::source,
    .stack = "openai-agents",
    .scope = engine::Scope::repository,
    .one_finding_per_file = false,
    .not_at_admission = "judges the repository's code",
};

struct Edge {
  std::string target;  // the variable the edge names
  std::string path;
  SourceRange range;
};

struct AgentNode {
  std::string path;
  std::string variable;
  std::string display;
  SourceRange range;
  std::vector<Edge> edges;
  std::vector<std::size_t> resolved;  // node indices, parallel to edges (npos when unresolved)
};

// The agent an element of `handoffs` or `tools` names: `x`, `handoff(x)`,
// `handoff(agent=x)`, `x.as_tool(...)`; "" for anything else.
std::string referenced_agent(const code::Module& module, const code::Node& element, bool tools) {
  if (!tools && element.is("identifier")) return std::string(element.text());
  if (!element.is("call") && !element.is("call_expression")) return {};
  const code::Node callee = element.field("function");
  const std::string_view callee_text = callee.text();
  if (tools) {
    for (std::string_view method : {".as_tool", ".asTool"})
      if (callee_text.ends_with(method)) {
        const code::Node receiver = callee.field("object");
        return receiver.is("identifier") ? std::string(receiver.text()) : std::string();
      }
    return {};
  }
  if (!is_sdk_name(module, callee_text, "handoff")) return {};
  const code::Node arguments = element.field("arguments");
  for (std::uint32_t i = 0; i < arguments.named_child_count(); ++i) {
    const code::Node argument = arguments.named_child(i);
    if (argument.is("identifier")) return std::string(argument.text());
    if (argument.is("keyword_argument") && argument.field("name").text() == "agent" &&
        argument.field("value").is("identifier"))
      return std::string(argument.field("value").text());
  }
  return {};
}

void add_edges(const code::Module& module, const std::string& path, const code::Node& list, bool tools,
               std::vector<Edge>& edges) {
  for (const code::Node& element : elements(list)) {
    std::string target = referenced_agent(module, element, tools);
    if (!target.empty()) edges.push_back({std::move(target), path, element.range()});
  }
}

class SubagentGraphCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 depth(R"re((?i)depth\D{0,20}(\d+)\s*levels?)re");
    depth_clause_ = nullptr;
    for (const constitution::Clause* clause : section) {
      int levels = 0;
      if (RE2::PartialMatch(clause->text, depth, &levels) && levels > 0) {
        depth_clause_ = clause;
        max_depth_ = levels;
      }
    }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    if (depth_clause_ == nullptr) return {};
    return {depth_clause_};
  }

  std::string bound_parameters() const override {
    return depth_clause_ == nullptr ? "no cycles (no depth clause found)" : fmt::format("no cycles; depth <= {} levels", max_depth_);
  }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    std::vector<AgentNode> nodes = collect(repository);
    if (nodes.empty()) return;
    resolve(nodes);
    report_cycles(nodes, out);
    if (depth_clause_ != nullptr) report_depth(nodes, out);
  }

 private:
  static std::vector<AgentNode> collect(const engine::RepositoryContext& repository) {
    std::vector<AgentNode> nodes;
    const std::vector<const workspace::File*> candidates = sources_mentioning(repository, "Agent");
    repository.prefetch_code(candidates);
    for (const workspace::File* candidate : candidates) {
      const workspace::File& file = *candidate;
      const code::Module* module = repository.code(file);
      if (module == nullptr || !uses_agents_sdk(*module)) continue;
      std::map<std::string, std::size_t> in_file;
      for (const code::Call* agent : agent_constructions(*module)) {
        AgentNode node;
        node.path = file.path;
        node.variable = bound_name(*agent);
        if (node.variable.empty()) continue;
        node.display = agent_display_name(*agent);
        if (node.display.empty()) node.display = node.variable;
        node.range = agent->range;
        add_edges(*module, file.path, option(*agent, "handoffs"), false, node.edges);
        add_edges(*module, file.path, option(*agent, "tools"), true, node.edges);
        in_file[node.variable] = nodes.size();
        nodes.push_back(std::move(node));
      }
      // Handoffs set after construction: `triage.handoffs = [faq, billing]`.
      for (const code::Assignment& assignment : module->assignments) {
        const std::string_view target = assignment.target;
        if (!target.ends_with(".handoffs")) continue;
        const auto owner = in_file.find(std::string(target.substr(0, target.size() - 9)));
        if (owner == in_file.end()) continue;
        add_edges(*module, file.path, assignment.value_node, false, nodes[owner->second].edges);
      }
      // Handoffs added after construction: `faq.handoffs.append(handoff(triage))`.
      for (const code::Call& call : module->calls) {
        const std::string_view callee = call.callee;
        for (std::string_view suffix : {".handoffs.append", ".handoffs.extend", ".handoffs.push"}) {
          if (!callee.ends_with(suffix)) continue;
          const auto owner = in_file.find(std::string(callee.substr(0, callee.size() - suffix.size())));
          const code::Argument* argument = call.positional(0);
          if (owner == in_file.end() || argument == nullptr) continue;
          std::vector<Edge>& edges = nodes[owner->second].edges;
          if (suffix == ".handoffs.extend") {
            add_edges(*module, file.path, argument->node, false, edges);
          } else {
            for (std::size_t i = 0; const code::Argument* each = call.positional(i); ++i) {
              std::string target = referenced_agent(*module, each->node, false);
              if (!target.empty()) edges.push_back({std::move(target), file.path, each->range});
            }
          }
        }
      }
    }
    return nodes;
  }

  // A name resolves to the agent of that variable in the same file, else to
  // the only agent of that name in the repository (imported from its module).
  static void resolve(std::vector<AgentNode>& nodes) {
    std::multimap<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < nodes.size(); ++i) by_name.emplace(nodes[i].variable, i);
    for (AgentNode& node : nodes) {
      for (const Edge& edge : node.edges) {
        std::size_t target = std::string::npos;
        const auto [first, last] = by_name.equal_range(edge.target);
        std::size_t count = 0;
        for (auto it = first; it != last; ++it) {
          ++count;
          if (nodes[it->second].path == node.path) target = it->second;
        }
        if (target == std::string::npos && count == 1) target = first->second;
        node.resolved.push_back(target);
      }
    }
  }

  // A path as its agents' names; a long one keeps its first and last few, so
  // a generated graph cannot make a finding's message as long as itself.
  static std::string show(const std::vector<AgentNode>& nodes, const std::vector<std::size_t>& path) {
    constexpr std::size_t kHead = 6, kTail = 2;
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (path.size() > kHead + kTail + 1 && i == kHead) {
        out += fmt::format(" -> ... ({} more)", path.size() - kHead - kTail);
        i = path.size() - kTail - 1;
        continue;
      }
      out += fmt::format("{}'{}'", i == 0 ? "" : " -> ", nodes[path[i]].display);
    }
    return out;
  }

  // Agents that reach each other form one strongly connected component: one
  // finding each, showing its shortest cycle through the component's first
  // agent and naming the others, rather than every cycle a hub-and-spoke
  // graph (specialists handing back to a triage agent) holds.
  static void report_cycles(const std::vector<AgentNode>& nodes, engine::Emitter& out) {
    for (const std::vector<std::size_t>& component : cyclic_components(nodes)) {
      const std::size_t start = component.front();
      const std::set<std::size_t> members(component.begin(), component.end());
      // Breadth-first from `start`, inside the component, back to `start`.
      std::vector<std::size_t> previous(nodes.size(), std::string::npos);
      std::vector<std::size_t> previous_edge(nodes.size(), std::string::npos);
      std::vector<std::size_t> queue{start};
      std::size_t closing_from = std::string::npos, closing_edge = std::string::npos;
      for (std::size_t head = 0; head < queue.size() && closing_from == std::string::npos; ++head) {
        const std::size_t at = queue[head];
        for (std::size_t e = 0; e < nodes[at].resolved.size(); ++e) {
          const std::size_t target = nodes[at].resolved[e];
          if (target == std::string::npos || !members.contains(target)) continue;
          if (target == start) {
            closing_from = at;
            closing_edge = e;
            break;
          }
          if (previous[target] != std::string::npos || target == start) continue;
          previous[target] = at;
          previous_edge[target] = e;
          queue.push_back(target);
        }
      }
      if (closing_from == std::string::npos) continue;  // cannot happen in a cyclic component
      std::vector<std::size_t> cycle{start};
      for (std::size_t at = closing_from; at != start; at = previous[at]) cycle.insert(cycle.begin() + 1, at);
      cycle.push_back(start);
      std::string others;
      std::size_t more = 0;
      for (const std::size_t member : component)
        if (std::find(cycle.begin(), cycle.end(), member) == cycle.end()) {
          constexpr std::size_t kNamed = 5;  // the rest are counted, not named
          if (more < kNamed) others += fmt::format("{}'{}'", more == 0 ? "" : ", ", nodes[member].display);
          if (more == kNamed) others += ", ...";
          ++more;
        }
      const Edge& closing = nodes[closing_from].edges[closing_edge];
      out.emit({.range = closing.range,
                .message = fmt::format("agents depend on each other in a cycle: {} (handoffs and as_tool calls){}; "
                                       "circular dependencies between agents are prohibited",
                                       show(nodes, cycle),
                                       more == 0 ? std::string()
                                                 : fmt::format(", and {} more agent{} in cycles with them: {}", more,
                                                               more == 1 ? "" : "s", others)),
                .path_override = closing.path,
                .anchor = show(nodes, cycle)});
    }
  }

  // Strongly connected components with a cycle (two agents or more, or one
  // that hands off to itself), each sorted, in the order of their first agent.
  // Tarjan's algorithm, iteratively.
  static std::vector<std::vector<std::size_t>> cyclic_components(const std::vector<AgentNode>& nodes) {
    constexpr std::size_t kUnvisited = std::string::npos;
    std::vector<std::size_t> index(nodes.size(), kUnvisited), low(nodes.size(), 0);
    std::vector<bool> on_stack(nodes.size(), false);
    std::vector<std::size_t> stack;
    std::vector<std::vector<std::size_t>> out;
    std::size_t next_index = 0;
    for (std::size_t root = 0; root < nodes.size(); ++root) {
      if (index[root] != kUnvisited) continue;
      std::vector<std::pair<std::size_t, std::size_t>> frames{{root, 0}};
      index[root] = low[root] = next_index++;
      stack.push_back(root);
      on_stack[root] = true;
      while (!frames.empty()) {
        const std::size_t at = frames.back().first;
        const std::size_t edge = frames.back().second++;
        if (edge < nodes[at].resolved.size()) {
          const std::size_t target = nodes[at].resolved[edge];
          if (target == kUnvisited) continue;
          if (index[target] == kUnvisited) {
            index[target] = low[target] = next_index++;
            stack.push_back(target);
            on_stack[target] = true;
            frames.emplace_back(target, 0);
          } else if (on_stack[target]) {
            low[at] = std::min(low[at], index[target]);
          }
          continue;
        }
        frames.pop_back();
        if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[at]);
        if (low[at] != index[at]) continue;
        std::vector<std::size_t> component;
        for (std::size_t member = kUnvisited; member != at;) {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          component.push_back(member);
        }
        const bool self_loop =
            std::find(nodes[at].resolved.begin(), nodes[at].resolved.end(), at) != nodes[at].resolved.end();
        if (component.size() < 2 && !self_loop) continue;
        std::sort(component.begin(), component.end());
        out.push_back(std::move(component));
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The longest chain below each agent, cycles cut where they close. An
  // explicit stack and, per agent, the length and next agent of its longest
  // chain: a generated repository may chain agents thousands deep.
  void report_depth(const std::vector<AgentNode>& nodes, engine::Emitter& out) const {
    constexpr std::size_t kNone = std::string::npos;
    std::vector<std::size_t> length(nodes.size(), 0), next(nodes.size(), kNone);
    std::vector<bool> done(nodes.size(), false), on_path(nodes.size(), false);
    const auto consider = [&](std::size_t at, std::size_t below) {
      if (next[at] == kNone || length[below] + 1 > length[at]) {
        length[at] = length[below] + 1;
        next[at] = below;
      }
    };
    std::vector<bool> has_parent(nodes.size(), false);
    for (const AgentNode& node : nodes)
      for (const std::size_t target : node.resolved)
        if (target != kNone) has_parent[target] = true;
    for (std::size_t root = 0; root < nodes.size(); ++root) {
      if (has_parent[root]) continue;
      std::vector<std::pair<std::size_t, std::size_t>> frames;  // (agent, next edge)
      if (!done[root]) {
        frames.emplace_back(root, 0);
        on_path[root] = true;
      }
      while (!frames.empty()) {
        const std::size_t at = frames.back().first;
        const std::size_t edge = frames.back().second++;
        if (edge < nodes[at].resolved.size()) {
          const std::size_t target = nodes[at].resolved[edge];
          if (target == kNone || on_path[target]) continue;
          if (done[target]) {
            consider(at, target);
          } else {
            on_path[target] = true;
            frames.emplace_back(target, 0);
          }
          continue;
        }
        done[at] = true;
        on_path[at] = false;
        frames.pop_back();
        if (!frames.empty()) consider(frames.back().first, at);
      }
      if (static_cast<int>(length[root]) <= max_depth_) continue;
      std::vector<std::size_t> path;
      for (std::size_t at = root; at != kNone && path.size() <= static_cast<std::size_t>(max_depth_) + 1; at = next[at])
        path.push_back(at);
      const std::string shown = show(nodes, path) + (length[root] + 1 > path.size() ? " -> ..." : "");
      out.emit({.range = nodes[root].range,
                .message = fmt::format("subagents nest {} levels deep below '{}', more than the {} allowed: {}",
                                       length[root], nodes[root].display, max_depth_, shown),
                .path_override = nodes[root].path,
                .anchor = shown,
                .clause = depth_clause_});
    }
  }

  const constitution::Clause* depth_clause_ = nullptr;
  int max_depth_ = 0;
};

}  // namespace subagent_graph_check
}  // namespace

std::unique_ptr<engine::Check> make_subagent_graph_check() {
  return engine::make_check<subagent_graph_check::SubagentGraphCheck>();
}

}  // namespace constable::checks::agents
