#include "http/gzip_stream.h"

#include <zlib.h>

#include <cstdlib>
#include <string_view>

namespace datenwerk::http {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

class GzipStream final : public BodyStream {
 public:
  explicit GzipStream(std::shared_ptr<BodyStream> plain) : plain_(std::move(plain)) {
    // 31: a gzip header and trailer around the deflate data; level 6 as gzip(1) uses.
    ready_ = deflateInit2(&z_, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipStream() override {
    if (ready_) deflateEnd(&z_);
  }

  Result<bool> Next(std::string& out) override {
    if (!ready_) return Internal("gzip: cannot start the compressor");
    if (done_) return false;
    std::string piece;
    auto more = plain_->Next(piece);
    if (!more.ok()) return more.status();
    Compress(piece, *more ? Z_NO_FLUSH : Z_FINISH, out);
    if (!*more) done_ = true;
    return !done_;
  }

 private:
  void Compress(const std::string& in, int flush, std::string& out) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    char buffer[64 * 1024];
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buffer);
      z_.avail_out = sizeof buffer;
      deflate(&z_, flush);
      out.append(buffer, sizeof buffer - z_.avail_out);
    } while (z_.avail_out == 0 || (flush == Z_FINISH && z_.avail_in > 0));
  }

  std::shared_ptr<BodyStream> plain_;
  z_stream z_{};
  bool ready_ = false;
  bool done_ = false;
};

}  // namespace

bool AcceptsGzip(const Request& request) {
  std::string_view accept = request.Header("accept-encoding");
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    const std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const size_t semicolon = item.find(';');
    const std::string_view coding = Trim(item.substr(0, semicolon));
    if (coding != "gzip" && coding != "*") continue;
    double q = 1;
    if (semicolon != std::string_view::npos) {
      const std::string_view param = Trim(item.substr(semicolon + 1));
      if (param.starts_with("q=")) q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
    if (q > 0) return true;
  }
  return false;
}

std::shared_ptr<BodyStream> Gzip(std::shared_ptr<BodyStream> plain) {
  return std::make_shared<GzipStream>(std::move(plain));
}

}  // namespace datenwerk::http
