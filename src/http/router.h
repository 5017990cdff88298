// Routes as data: a table of (method, pattern, handler), validated when added. Patterns are
// literal segments and "{name}" placeholders, e.g. "/api/v1/kpis/{id}/values/{value_id}".
// A path that matches with another method answers 405; no match answers 404.
// Build the table before serving; Handle() is then safe to call from many threads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace datenwerk::http {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  // Aborts start-up (throws std::invalid_argument) on a malformed pattern: a programming error.
  void Add(std::string method, std::string pattern, Handler handler);
  // Every method on every path under `prefix` (e.g. "/sta/v1.1") goes to `handler`, which
  // parses the rest itself (SensorThings paths like "Things(1)/Datastreams" are not segments).
  void AddPrefix(std::string prefix, Handler handler);
  // Fallback for paths no route matches (e.g. the HTML 404 page); default is a JSON 404.
  void SetNotFound(Handler handler) { not_found_ = std::move(handler); }

  Response Handle(Request request) const;
  // The table, one "METHOD /pattern" per route and "* /prefix" per prefix, in the order added:
  // for checking that every route is documented (datenwerk serve --print-routes).
  std::vector<std::string> Describe() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, Handler>> prefixes_;
  Handler not_found_;
};

}  // namespace datenwerk::http
