#include "http/server.h"

#include "http/gzip_stream.h"

#include <sched.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

namespace datenwerk::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

// RFC 9112 3.2.2: an absolute-form target ("http://host/path?q") names the same resource as
// its origin form ("/path?q").
std::string OriginForm(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() < scheme.size()) continue;
    bool same = true;
    for (size_t i = 0; i < scheme.size(); ++i) {
      same = same && std::tolower(static_cast<unsigned char>(target[i])) == scheme[i];
    }
    if (!same) continue;
    const size_t slash = target.find_first_of("/?", scheme.size());
    if (slash == std::string_view::npos) return "/";
    return (target[slash] == '?' ? "/" : "") + std::string(target.substr(slash));
  }
  return std::string(target);
}

// Takes the body over (it is not copied: an upload of 30 MB is held once).
Request ToRequest(bhttp::request<bhttp::string_body>& in, bool* target_ok) {
  Request out;
  out.method = std::string(in.method_string());
  if (out.method == "HEAD") {
    out.method = "GET";
    out.head_only = true;
  }
  out.target = OriginForm(in.target());
  *target_ok = ParseTarget(out.target, out);
  for (const auto& field : in) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers.emplace(std::move(name), std::string(field.value()));
  }
  out.body = std::move(in.body());
  return out;
}

// What makes a request ambiguous to read (RFC 9112 3.2, 6.1), or nullopt: a request with a
// Transfer-Encoding Beast does not frame as chunked would leave its body to be read as the next
// request (a smuggling shape), so any coding but a single "chunked" is refused.
std::optional<std::string> FramingProblem(const bhttp::request<bhttp::string_body>& in) {
  const size_t hosts = in.count(bhttp::field::host);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && in.version() >= 11) return "an HTTP/1.1 request needs a Host header";
  const size_t codings = in.count(bhttp::field::transfer_encoding);
  if (codings == 0) return std::nullopt;
  std::string value(in[bhttp::field::transfer_encoding]);
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
  if (codings > 1 || value != "chunked") return "Transfer-Encoding other than chunked";
  return std::nullopt;
}

// What every connection shares: the handler, the options, and where requests that may block
// run: writes on one pool (unless their connection has its thread to itself), slow reads on
// another (so they do not queue behind writes).
struct Shared {
  const Handler& handler;
  const ServerOptions& options;
  asio::thread_pool& writes;
  asio::thread_pool& slow_reads;
  // GETs being answered on dedicated threads, and how many may be at once: each may hold a
  // response in memory, and dedicated threads are many.
  std::atomic<int>& dedicated_reads;
  const int dedicated_read_limit;
};

// Writes wait for the database's one writer thread (sql::Connection::Write) and are throughput
// work: their threads run as SCHED_BATCH, so that callers woken when their group is answered do
// not preempt the writer (at 64 clients it was preempted twice per group: about 14,000 writes/s
// against 18,000). Any thread may choose SCHED_BATCH; if it is refused, only speed is lost.
void RunAsBatchThread() {
  thread_local const bool marked = [] {
    sched_param none{};
    return sched_setscheduler(0, SCHED_BATCH, &none) == 0;
  }();
  (void)marked;
}

// What a connection thread carries. Each on its own cache line: the threads count every
// request, and shared lines would bounce between the cores.
struct alignas(64) ThreadLoad {
  std::atomic<int> busy{0};         // requests being handled on the thread itself
  std::atomic<int> connections{0};  // open connections pinned to it
  bool dedicated = false;           // takes one connection at a time (ServerOptions)
};

// The pool a request runs on, or none: its connection's thread. A write waits for its group's
// commit; on a dedicated thread (its connection's own) that holds up no one, and saves two
// hand-overs (to a pool thread and back): single uplinks at 64 clients on 2 cores +16 to +28 %,
// with 2.2 context switches each instead of 3.5.
asio::thread_pool* PoolFor(const Request& r, const Shared& shared, const ThreadLoad& load) {
  if (r.method != "GET") return load.dedicated ? nullptr : &shared.writes;
  if (shared.options.off_thread && shared.options.off_thread(r)) return &shared.slow_reads;
  return nullptr;
}

Response Handle(const Handler& handler, const Request& request, std::string_view target) {
  const auto start = std::chrono::steady_clock::now();
  Response response;
  try {
    response = handler(request);
  } catch (const std::exception& e) {
    response = ErrorResponse(Internal(std::string("handler threw: ") + e.what()));
  }
  if (response.status >= 500 && !response.log_detail.empty()) {
    spdlog::error("{} {} -> {}: {}", request.method, target, response.status, response.log_detail);
  }
  if (response.stream && AcceptsGzip(request)) {
    response.stream = Gzip(std::move(response.stream));
    response.headers.emplace_back("Content-Encoding", "gzip");
    response.headers.emplace_back("Vary", "Accept-Encoding");
  }
  // W3C Server Timing: what the handler took, without the network, for clients and benchmarks.
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  response.headers.emplace_back("Server-Timing", fmt::format("app;dur={:.3f}", took.count()));
  return response;
}

// One keep-alive connection: read a request, answer it, repeat until the peer closes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Shared& shared, ThreadLoad& load)
      : stream_(std::move(socket)), shared_(shared), load_(load) {
    load_.connections.fetch_add(1, std::memory_order_relaxed);
  }
  ~Session() { load_.connections.fetch_sub(1, std::memory_order_relaxed); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(shared_.options.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(shared_.options.idle_timeout_seconds));
    limit_ = shared_.options.body_limit;
    if (shared_.options.upload_limits.empty()) {
      return bhttp::async_read(stream_, buffer_, *parser_,
                               [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
    }
    // The parser checks Content-Length against its limit as soon as the header is complete: the
    // largest limit until the path is known, then the path's own.
    size_t largest = limit_;
    for (const auto& [prefix, limit] : shared_.options.upload_limits) largest = std::max(largest, limit);
    parser_->body_limit(largest);
    bhttp::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      // (The target is there even when the header's Content-Length was refused.)
      const std::string_view target = self->parser_->get().target();
      for (const auto& [prefix, limit] : self->shared_.options.upload_limits) {
        if (target.starts_with(prefix)) self->limit_ = limit;
      }
      if (ec) return self->OnRead(ec);
      // The parser compared Content-Length with the largest limit; the path's own is checked
      // here (a chunked body is held to it as it arrives).
      if (auto length = self->parser_->content_length(); length && *length > self->limit_) {
        return self->OnRead(bhttp::error::body_limit);
      }
      self->parser_->body_limit(self->limit_);
      bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                        [self](beast::error_code ec2, size_t) { self->OnRead(ec2); });
    });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      const std::string target(parser_->get().target());
      if (shared_.options.too_large) return Send(shared_.options.too_large(target, limit_), false, false);
      return Send(ErrorResponse({ErrorCode::kTooLarge,
                                 "request body is larger than " + std::to_string(limit_) + " bytes", "body"}),
                  /*keep_alive=*/false, /*head_only=*/false);
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() ||
        ec == bhttp::error::header_limit) {
      return Send(ErrorResponse(InvalidArgument("malformed HTTP request: " + ec.message())),
                  false, false);
    }
    if (ec) return Close();

    auto& raw = parser_->get();
    if (auto problem = FramingProblem(raw)) {
      return Send(ErrorResponse(InvalidArgument("malformed HTTP request: " + *problem, "headers")),
                  /*keep_alive=*/false, /*head_only=*/false);
    }
    bool target_ok = true;
    Request request = ToRequest(raw, &target_ok);
    beast::error_code endpoint_error;
    auto peer = stream_.socket().remote_endpoint(endpoint_error);
    if (!endpoint_error) {
      const auto forwarded = request.headers.find("x-forwarded-for");
      request.remote_address =
          ClientAddress(peer.address().to_string(),
                        forwarded == request.headers.end() ? std::string_view() : std::string_view(forwarded->second),
                        shared_.options.trusted_proxies);
    }
    const bool keep_alive = raw.keep_alive();
    std::string target(raw.target());
    if (!target_ok) {
      return Send(ErrorResponse(InvalidArgument("malformed request target", "path")), keep_alive,
                  request.head_only);
    }
    asio::thread_pool* pool = PoolFor(request, shared_, load_);
    const bool counted = !pool && load_.dedicated && request.method == "GET";
    if (counted && shared_.dedicated_reads.fetch_add(1) >= shared_.dedicated_read_limit) {
      // As many reads as the shared threads may answer at once are under way on dedicated ones:
      // this one waits its turn on the slow-reads pool, so that memory stays bounded.
      shared_.dedicated_reads.fetch_sub(1);
      pool = &shared_.slow_reads;
    }
    if (pool) return HandleOn(*pool, std::move(request), std::move(target), keep_alive);
    if (request.method != "GET") RunAsBatchThread();  // a write on its connection's own thread
    load_.busy.fetch_add(1, std::memory_order_relaxed);
    Response response = Handle(shared_.handler, request, target);
    load_.busy.fetch_sub(1, std::memory_order_relaxed);
    if (counted) shared_.dedicated_reads.fetch_sub(1);
    Send(std::move(response), keep_alive, request.head_only);
  }

  // Off this connection thread: it goes on serving its other connections meanwhile.
  void HandleOn(asio::thread_pool& pool, Request request, std::string target, bool keep_alive) {
    const bool write = &pool == &shared_.writes;
    asio::post(pool, [self = shared_from_this(), request = std::move(request), target = std::move(target),
                      keep_alive, write]() mutable {
      if (write) RunAsBatchThread();
      Response response = Handle(self->shared_.handler, request, target);
      asio::post(self->stream_.get_executor(), [self, response = std::move(response), keep_alive,
                                                head_only = request.head_only]() mutable {
        self->Send(std::move(response), keep_alive, head_only);
      });
    });
  }

  template <typename Body>
  void Fill(bhttp::response<Body>& out, const Response& in) {
    out.set(bhttp::field::server, "Datenwerk");
    if (!in.content_type.empty()) out.set(bhttp::field::content_type, in.content_type);
    out.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : in.headers) {
      if (name == "Set-Cookie") {
        out.insert(name, value);  // one header per cookie
      } else {
        out.set(name, value);
      }
    }
  }

  void Send(Response response, bool keep_alive, bool head_only) {
    auto status = static_cast<bhttp::status>(response.status);
    if (response.stream && !head_only) return SendStream(std::move(response), keep_alive);
    if (head_only && response.stream) {
      auto res = std::make_shared<bhttp::response<bhttp::empty_body>>(status, 11);
      Fill(*res, response);
      res->chunked(true);
      res->keep_alive(keep_alive);
      return Write(std::move(res));
    }
    if (head_only) {
      auto res = std::make_shared<bhttp::response<bhttp::empty_body>>(status, 11);
      Fill(*res, response);
      res->content_length(response.Body().size());
      res->keep_alive(keep_alive);
      return Write(std::move(res));
    }
    if (response.shared_body) {
      // Cached bodies go out from the shared buffer; the message keeps it alive.
      using SpanBody = bhttp::span_body<const char>;
      auto res = std::make_shared<bhttp::response<SpanBody>>(status, 11);
      Fill(*res, response);
      res->body() = SpanBody::value_type(response.shared_body->data(),
                                         response.shared_body->size());
      res->prepare_payload();
      res->keep_alive(keep_alive);
      return Write(std::move(res), std::move(response.shared_body));
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(status, 11);
    Fill(*res, response);
    res->body() = std::move(response.body);
    res->prepare_payload();
    res->keep_alive(keep_alive);
    Write(std::move(res));
  }

  // A streamed body: the header, then one chunk per piece. Each piece is made on the slow-reads
  // pool (it may wait for a store) and written before the next is asked for, so one download holds
  // one piece in memory however long it is.
  void SendStream(Response response, bool keep_alive) {
    using Head = bhttp::response<bhttp::empty_body>;
    auto head = std::make_shared<Head>(static_cast<bhttp::status>(response.status), 11);
    Fill(*head, response);
    head->chunked(true);
    head->keep_alive(keep_alive);
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*head);
    stream_.expires_after(std::chrono::seconds(shared_.options.idle_timeout_seconds));
    bhttp::async_write_header(stream_, *serializer,
                              [self = shared_from_this(), head, serializer, body = std::move(response.stream),
                               keep_alive](beast::error_code ec, size_t) {
                                if (ec) return self->Close();
                                self->NextPiece(body, keep_alive);
                              });
  }

  void NextPiece(std::shared_ptr<BodyStream> body, bool keep_alive) {
    asio::post(shared_.slow_reads, [self = shared_from_this(), body, keep_alive]() mutable {
      auto piece = std::make_shared<std::string>();
      Result<bool> more = false;
      try {
        more = body->Next(*piece);
      } catch (const std::exception& e) {
        more = Internal(std::string("the body stream threw: ") + e.what());
      }
      asio::post(self->stream_.get_executor(), [self, body, piece, more, keep_alive]() mutable {
        if (!more.ok()) {
          spdlog::error("a streamed answer ended early: {}", more.status().message());
          return self->Close();  // without the last chunk: the client sees it is incomplete
        }
        self->stream_.expires_after(std::chrono::seconds(self->shared_.options.idle_timeout_seconds));
        if (piece->empty()) {
          if (*more) return self->NextPiece(std::move(body), keep_alive);
          return self->LastChunk(keep_alive);
        }
        asio::async_write(self->stream_, bhttp::make_chunk(asio::buffer(*piece)),
                          [self, body, piece, more = *more, keep_alive](beast::error_code ec, size_t) mutable {
                            if (ec) return self->Close();
                            if (more) return self->NextPiece(std::move(body), keep_alive);
                            self->LastChunk(keep_alive);
                          });
      });
    });
  }

  void LastChunk(bool keep_alive) {
    asio::async_write(stream_, bhttp::make_chunk_last(),
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive) return self->Close();
                        self->Read();
                      });
  }

  template <typename Message>
  void Write(std::shared_ptr<Message> message, std::shared_ptr<const void> owned = nullptr) {
    bool keep_alive = message->keep_alive();
    stream_.expires_after(std::chrono::seconds(shared_.options.idle_timeout_seconds));
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message, owned = std::move(owned),
                        keep_alive](beast::error_code ec, size_t) {
                         if (ec || !keep_alive) return self->Close();
                         self->Read();
                       });
  }

  // Half-closes, then reads and drops whatever the client still sends (a body we refused, say)
  // until it closes or a few seconds pass, so it can read our answer instead of a reset.
  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(5));
    Drain();
  }

  void Drain() {
    drain_.resize(16 * 1024);
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (!ec) self->Drain();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::vector<char> drain_;
  size_t limit_ = 0;  // the body limit of the request being read
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const Shared& shared_;
  ThreadLoad& load_;  // of this connection's thread
};

}  // namespace

// One io_context per thread, each connection pinned to one of them: a request is read, handled
// and answered on one thread, without waking others for every completion (on a shared
// io_context with strands that cost more than a third of a large ingest request). Accepting has
// a thread of its own, and requests that may block run on a separate pool.
class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        threads_(options_.threads > 0 ? options_.threads
                                      : static_cast<int>(std::max(1u,
                                                                  std::thread::hardware_concurrency()))),
        pool_threads_(static_cast<size_t>(options_.blocking_threads > 0 ? options_.blocking_threads
                                                                        : threads_)),
        blocking_(options_.write_threads > 0 ? static_cast<size_t>(options_.write_threads) : pool_threads_),
        slow_reads_(pool_threads_),
        shared_{handler_, options_, blocking_, slow_reads_, dedicated_reads_, threads_},
        load_(static_cast<size_t>(threads_ + std::max(0, options_.dedicated_threads))) {
    for (size_t i = 0; i < load_.size(); ++i) {
      load_[i].dedicated = i >= static_cast<size_t>(threads_);
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      guards_.emplace_back(asio::make_work_guard(*contexts_.back()));
    }
    acceptor_.emplace(accept_context_);
    accept_backoff_.emplace(accept_context_);
    signals_.emplace(accept_context_, SIGINT, SIGTERM);
  }

  Result<uint16_t> Listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(options_.address, ec);
    if (ec) return InvalidArgument("not an IP address: " + options_.address, "bind");
    tcp::endpoint endpoint(address, options_.port);
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status(ErrorCode::kUnavailable, "cannot listen on " + options_.address + ":" +
                                                 std::to_string(options_.port) + ": " +
                                                 ec.message());
    }
    return acceptor_->local_endpoint().port();
  }

  void Run() {
    signals_->async_wait([this](beast::error_code, int) { Stop(); });
    Accept();
    std::vector<std::thread> workers;
    for (size_t i = 0; i < contexts_.size(); ++i) workers.emplace_back([this, i] { contexts_[i]->run(); });
    accept_context_.run();
    for (auto& t : workers) t.join();
    blocking_.join();
    slow_reads_.join();
  }

  void Stop() {
    accept_context_.stop();
    for (auto& context : contexts_) context->stop();
    blocking_.stop();
    slow_reads_.stop();
  }

 private:
  // A dedicated thread that serves no connection (its writes then run on it); else the next
  // shared one in turn that is not inside a request; any shared one in turn if all are. Sharing
  // threads that wait in epoll costs a wake-up per answer from the write pool: at 256 clients,
  // 64 threads of 4 connections each stored 13-18 % less than 4 threads of 64.
  size_t NextContext() {
    const size_t shared = static_cast<size_t>(threads_);
    for (size_t i = shared; i < contexts_.size(); ++i) {
      if (load_[i].connections.load(std::memory_order_relaxed) == 0) return i;
    }
    for (size_t k = 0; k < shared; ++k) {
      const size_t i = (next_context_ + k) % shared;
      if (load_[i].busy.load(std::memory_order_relaxed) == 0) {
        next_context_ = i + 1;
        return i;
      }
    }
    return next_context_++ % shared;
  }

  void Accept() {
    const size_t i = NextContext();
    acceptor_->async_accept(*contexts_[i], [this, i](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(s), shared_, load_[i])->Start();
      } else {
        // E.g. out of file descriptors: back off instead of spinning, then accept again.
        spdlog::warn("accept failed: {}", ec.message());
        accept_backoff_->expires_after(std::chrono::milliseconds(100));
        accept_backoff_->async_wait([this](beast::error_code) { Accept(); });
        return;
      }
      Accept();
    });
  }

  ServerOptions options_;
  Handler handler_;
  int threads_;
  size_t pool_threads_;  // each of the two pools
  asio::io_context accept_context_{1};
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  // Declared after the contexts: its pending requests hold connections whose sockets belong to
  // them, so it goes first.
  asio::thread_pool blocking_;
  asio::thread_pool slow_reads_;
  std::atomic<int> dedicated_reads_{0};  // Shared::dedicated_reads
  Shared shared_;
  std::vector<ThreadLoad> load_;  // per connection thread
  size_t next_context_ = 0;  // only the accepting thread touches it
  std::optional<tcp::acceptor> acceptor_;
  std::optional<asio::steady_timer> accept_backoff_;
  std::optional<asio::signal_set> signals_;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
Server::~Server() = default;
Result<uint16_t> Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace datenwerk::http
