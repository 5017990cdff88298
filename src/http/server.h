// The HTTP/1.1 server: keep-alive connections served by a small thread pool, each connection an
// independent asynchronous loop so that one busy client cannot starve the others. Bodies over
// `body_limit` get 413, malformed requests 400, both with a JSON error body; a handler that throws
// gets 500 and the server keeps serving. Requests that RFC 9112 calls malformed or ambiguous
// (no Host or two, a Transfer-Encoding other than "chunked") get 400 and the connection closes.
//
// Threads: one accepts (nothing else runs there, so a slow request never delays a new
// connection), `threads` read, answer and write connections (each connection stays on one; a
// new one goes to a free dedicated thread, else to one of `threads` not busy with a request),
// `write_threads` run the requests that may wait for a store (every method but GET and HEAD; as
// many as may wait together for one group commit) unless their connection has its thread to
// itself (then the write waits there: it holds up no one, and two hand-overs are saved), and
// `blocking_threads` the GETs `off_thread` names (reads that may wait or take long), in a pool of
// their own so that they do not queue behind writes. The other connections of a thread are not
// held up behind either.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/router.h"

namespace datenwerk::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 0;  // 0: one per core; each runs its own io_context, connections are spread
  // Connection threads beside them that take one connection each while it is open (the first
  // connections; the others go to `threads`). An idle one waits in epoll; a busy one holds its
  // stack and its share of the allocator's caches.
  int dedicated_threads = 0;
  int blocking_threads = 0;  // 0: as many as `threads`
  int write_threads = 0;     // for writes (not GET); 0: as many as blocking_threads
  size_t body_limit = 1 << 20;
  // Larger limits for some paths (file uploads), by prefix of the request target: the header is
  // read first, then the body with the limit of its path.
  std::vector<std::pair<std::string, size_t>> upload_limits;
  // The answer to a body over its limit, given the request target and the limit (default: a JSON
  // 413). Called on connection threads.
  std::function<Response(std::string_view target, size_t limit)> too_large;
  int idle_timeout_seconds = 60;
  // GETs that may wait for a store or run long, handled off the connection threads on a pool of
  // their own (cheap reads stay on the connection's thread: no hand-over). Called on connection
  // threads.
  std::function<bool(const Request&)> off_thread;
  // Proxies (HAProxy) whose X-Forwarded-For names the client (http::ClientAddress).
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  // `handler` is called from several threads at once and must be thread-safe.
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; kUnavailable if the address is taken. Returns the bound port.
  Result<uint16_t> Listen();
  // Serves until Stop() or SIGINT/SIGTERM. Blocks.
  void Run();
  // Thread-safe.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace datenwerk::http
