#include "http/gzip_stream.h"

#include <zlib.h>

#include <string_view>

namespace datenwerk::http {

namespace {

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
  for (const QualityItem& item : ParseQualityList(request.Header("accept-encoding"))) {
    if ((item.value == "gzip" || item.value == "*") && item.q > 0) return true;
  }
  return false;
}

std::shared_ptr<BodyStream> Gzip(std::shared_ptr<BodyStream> plain) {
  return std::make_shared<GzipStream>(std::move(plain));
}

}  // namespace datenwerk::http
