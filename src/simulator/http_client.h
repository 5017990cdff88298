// A small HTTP/1.1 client for the simulator's webhooks and setup calls: one keep-alive
// connection to http://host:port, reopened once when the server closed it. Not thread-safe: one
// per thread. (Boost.Beast, kept to this one translation unit.)
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace datenwerk::simulator {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  // `base` is "http://host:port" (no TLS: the simulator talks to a local server or a proxy).
  static Result<std::unique_ptr<HttpClient>> Open(const std::string& base);
  ~HttpClient();

  Result<HttpAnswer> Send(const std::string& method, const std::string& target,
                          const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& headers);

  struct Impl;  // defined in the .cc: only Open makes one
  explicit HttpClient(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace datenwerk::simulator
