#include "http/router.h"

#include <stdexcept>

namespace datenwerk::http {

namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsPlaceholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/' || !handler) {
    throw std::invalid_argument("bad route pattern: " + pattern);
  }
  routes_.push_back({std::move(method), pattern == "/" ? std::vector<std::string>{""}
                                                       : SplitPath(pattern),
                     std::move(handler)});
}

void Router::AddPrefix(std::string prefix, Handler handler) {
  if (prefix.empty() || prefix.front() != '/' || prefix.back() == '/' || !handler) {
    throw std::invalid_argument("bad route prefix: " + prefix);
  }
  prefixes_.emplace_back(std::move(prefix), std::move(handler));
}

std::vector<std::string> Router::Describe() const {
  std::vector<std::string> out;
  for (const Route& route : routes_) {
    std::string line = route.method + " ";
    for (const std::string& segment : route.segments) line += "/" + segment;
    out.push_back(std::move(line));
  }
  for (const auto& [prefix, handler] : prefixes_) out.push_back("* " + prefix);
  return out;
}

Response Router::Handle(Request request) const {
  for (const auto& [prefix, handler] : prefixes_) {
    if (request.path.starts_with(prefix) &&
        (request.path.size() == prefix.size() || request.path[prefix.size()] == '/')) {
      return handler(request);
    }
  }
  const std::vector<std::string> segments =
      request.path == "/" ? std::vector<std::string>{""} : SplitPath(request.path);
  std::string allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      if (IsPlaceholder(route.segments[i])) {
        if (segments[i].empty()) match = false;
        params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      } else {
        match = route.segments[i] == segments[i];
      }
    }
    if (!match) continue;
    if (route.method != request.method) {
      if (!allowed.empty()) allowed += ", ";
      allowed += route.method;
      continue;
    }
    request.path_params = std::move(params);
    return route.handler(request);
  }
  if (!allowed.empty()) {
    Response r = ErrorResponse({ErrorCode::kInvalidArgument,
                                "method " + request.method + " is not allowed here; allowed: " +
                                    allowed,
                                "method"});
    r.status = 405;
    return r.With("Allow", allowed);
  }
  if (not_found_) return not_found_(request);
  return ErrorResponse(NotFound("no resource at " + request.path, "path"));
}

}  // namespace datenwerk::http
