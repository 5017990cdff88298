#include "simulator/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace datenwerk::simulator {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

struct HttpClient::Impl {
  std::string host, port;
  boost::asio::io_context io;
  tcp::resolver resolver{io};
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool open = false;

  void Connect() {
    stream.connect(resolver.resolve(host, port));
    open = true;
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() {
  beast::error_code ec;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

Result<std::unique_ptr<HttpClient>> HttpClient::Open(const std::string& base) {
  std::string rest = base;
  if (rest.starts_with("http://")) rest = rest.substr(7);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  const size_t colon = rest.rfind(':');
  auto impl = std::make_unique<Impl>();
  impl->host = rest.substr(0, colon);
  impl->port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  if (impl->host.empty()) return InvalidArgument("not http://host:port: " + base, "url");
  return std::make_unique<HttpClient>(std::move(impl));
}

Result<HttpAnswer> HttpClient::Send(const std::string& method, const std::string& target,
                                    const std::string& body,
                                    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  // With the port unless it is HTTP's own (RFC 9110 7.2): the server builds its links from it.
  request.set(http::field::host, impl_->port == "80" ? impl_->host : impl_->host + ":" + impl_->port);
  request.set(http::field::connection, "keep-alive");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.body() = body;
    request.prepare_payload();
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!impl_->open) impl_->Connect();
      http::write(impl_->stream, request);
      http::response<http::string_body> response;
      http::read(impl_->stream, impl_->buffer, response);
      if (!response.keep_alive()) {
        beast::error_code ec;
        impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        impl_->stream.close();
        impl_->open = false;
      }
      return HttpAnswer{static_cast<int>(response.result_int()), std::move(response.body())};
    } catch (const std::exception& e) {  // a closed keep-alive connection: reopen once
      impl_->stream.close();
      impl_->open = false;
      impl_->buffer.clear();
      if (attempt == 1) return Status(ErrorCode::kUnavailable, std::string("HTTP: ") + e.what(), "url");
    }
  }
  return Status(ErrorCode::kUnavailable, "HTTP: unreachable", "url");
}

}  // namespace datenwerk::simulator
