#include "shardsim/report/event_trace.h"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace shardsim {

namespace {

constexpr std::array<const char*, static_cast<std::size_t>(TraceKind::kCount)> kKindNames = {
    "request", "answer", "node", "commit", "apply", "failure"};

std::uint32_t bit(TraceKind kind) {
  return 1U << static_cast<unsigned>(kind);
}

}  // namespace

const char* trace_kind_name(TraceKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<TraceKind> parse_trace_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (name == kKindNames[i]) return static_cast<TraceKind>(i);
  }
  return std::nullopt;
}

std::string trace_kind_names() {
  return fmt::format("{}", fmt::join(kKindNames, ", "));
}

// Iterative glob with single backtracking point: linear in practice, no recursion on '*'.
bool glob_match(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string json_quoted(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

EventTrace::EventTrace(TraceOptions options) : options_(std::move(options)), file_(options_.path) {
  if (options_.kinds.empty()) {
    kind_mask_ = ~0U;
  } else {
    for (TraceKind kind : options_.kinds) kind_mask_ |= bit(kind);
  }
}

bool EventTrace::traces(TraceKind kind, std::string_view node) const {
  if ((kind_mask_ & bit(kind)) == 0) return false;
  if (options_.nodes.empty()) return true;
  for (const std::string& pattern : options_.nodes) {
    if (glob_match(pattern, node)) return true;
  }
  return false;
}

void EventTrace::record(Time now, TraceKind kind, std::string_view node, std::string_view fields) {
  if (now < options_.from || now >= options_.until || truncated_) return;
  if (lines_ == options_.max_lines) {
    truncated_ = true;
    file_.write(fmt::format("{{\"t_ns\":{},\"kind\":\"truncated\",\"lines\":{}}}\n", now, lines_));
    return;
  }
  ++lines_;
  line_.clear();
  fmt::format_to(std::back_inserter(line_), "{{\"t_ns\":{},\"kind\":\"{}\",\"node\":{}", now,
                 trace_kind_name(kind), json_quoted(node));
  if (!fields.empty()) {
    line_ += ',';
    line_ += fields;
  }
  line_ += "}\n";
  file_.write(line_);
}

void EventTrace::request_issued(Time now, std::string_view node, const RequestIssued& event) {
  record(now, TraceKind::kRequest, node,
         fmt::format("\"request\":{},\"op\":\"{}\",\"key\":{},\"hot\":{}", event.request,
                     operation_name(event.op), event.key, event.hot));
}

void EventTrace::request_answered(Time now, std::string_view node, const RequestAnswered& event) {
  const std::string what = event.failed
                               ? fmt::format("\"failed\":true,\"op\":\"{}\"", operation_name(event.op))
                               : fmt::format("\"outcome\":\"{}\"", outcome_name(event.outcome));
  // A read's answer says which version it returned; a failure returned none.
  const std::string version = event.op == Operation::kRead && !event.failed
                                  ? fmt::format(",\"version\":{}", event.version)
                                  : std::string();
  record(now, TraceKind::kAnswer, node,
         fmt::format("\"request\":{},{},\"latency_ms\":{:.6f}{}", event.request, what, to_ms(event.latency),
                     version));
}

void EventTrace::node_job(Time now, std::string_view node, const NodeJob& event) {
  const char* name = job_event_name(event.event);
  const std::string fields =
      event.flag == 0
          ? fmt::format("\"event\":\"{}\",\"request\":{}", name, event.request)
          : fmt::format("\"event\":\"{}\",\"request\":{},\"flag\":{}", name, event.request, event.flag);
  record(now, TraceKind::kNode, node, fields);
}

void EventTrace::write_committed(Time now, std::string_view node, const WriteCommitted& event) {
  record(now, TraceKind::kCommit, node,
         fmt::format("\"request\":{},\"shard\":{},\"position\":{},\"key\":{},\"async\":{}", event.request,
                     event.shard, event.position, event.key, event.async));
}

void EventTrace::failure_noted(Time now, std::string_view node, const FailureNoted& event) {
  record(now, TraceKind::kFailure, node,
         fmt::format("\"event\":{},\"detail\":{}", json_quoted(event.event), json_quoted(event.detail)));
}

void EventTrace::on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) {
  if (to <= from) return;
  const ReplicationLog& log = replica.log();
  // The batch's first entry is its oldest: the largest lag in it; the last is the smallest.
  record(now, TraceKind::kApply, replica.name(),
         fmt::format("\"shard\":{},\"from\":{},\"to\":{},\"max_lag_ms\":{:.6f},\"min_lag_ms\":{:.6f}",
                     replica.shard(), from, to, to_ms(now - log.at(from).committed),
                     to_ms(now - log.at(to - 1).committed)));
}

}  // namespace shardsim
