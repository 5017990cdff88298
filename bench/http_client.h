// A minimal HTTP/1.1 client for the benchmarks: one keep-alive connection, Content-Length and
// chunked answers; no dependency on the server code under test. Exits on a connection failure.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace bench {

class HttpClient {
 public:
  HttpClient(const std::string& host, int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      std::perror("connect");
      std::exit(1);
    }
  }
  ~HttpClient() { close(fd_); }
  // Returns the status code; the body goes into `body`.
  int Request(const std::string& method, const std::string& target, const std::string& payload,
              std::string& body, const std::string& extra_headers = "") {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers +
                      "Content-Length: " + std::to_string(payload.size()) + "\r\n\r\n" + payload;
    for (size_t sent = 0; sent < req.size();) {
      ssize_t n = send(fd_, req.data() + sent, req.size() - sent, 0);
      if (n <= 0) return -1;
      sent += static_cast<size_t>(n);
    }
    std::string in;
    char buf[65536];
    size_t header_end = std::string::npos;
    while ((header_end = in.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return -1;
      in.append(buf, static_cast<size_t>(n));
    }
    const int status = std::atoi(in.c_str() + 9);
    std::string headers = in.substr(0, header_end);
    in.erase(0, header_end + 4);
    body.clear();
    if (auto cl = headers.find("Content-Length: "); cl != std::string::npos) {
      const size_t length = std::strtoul(headers.c_str() + cl + 16, nullptr, 10);
      while (in.size() < length) {
        ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return -1;
        in.append(buf, static_cast<size_t>(n));
      }
      body = in.substr(0, length);
    } else if (headers.find("chunked") != std::string::npos) {
      for (;;) {  // chunked: size line, data, CRLF; ends with a zero-size chunk
        size_t line_end;
        while ((line_end = in.find("\r\n")) == std::string::npos) {
          ssize_t n = recv(fd_, buf, sizeof buf, 0);
          if (n <= 0) return -1;
          in.append(buf, static_cast<size_t>(n));
        }
        const size_t size = std::strtoul(in.c_str(), nullptr, 16);
        while (in.size() < line_end + 2 + size + 2) {
          ssize_t n = recv(fd_, buf, sizeof buf, 0);
          if (n <= 0) return -1;
          in.append(buf, static_cast<size_t>(n));
        }
        body.append(in, line_end + 2, size);
        in.erase(0, line_end + 2 + size + 2);
        if (size == 0) break;
      }
    }
    return status;
  }

 private:
  int fd_ = -1;
};

inline std::string UrlEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace bench
