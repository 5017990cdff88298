// gzip for streamed bodies (RFC 1952 through zlib): wraps a BodyStream and compresses what it
// produces, piece by piece, in bounded memory. And whether a request accepts gzip.
#pragma once

#include <memory>

#include "http/message.h"

namespace datenwerk::http {

// True when Accept-Encoding lists gzip (or "*") with a q-value above 0.
bool AcceptsGzip(const Request& request);

// The same body, gzip-compressed. Not thread-safe, like any BodyStream.
std::shared_ptr<BodyStream> Gzip(std::shared_ptr<BodyStream> plain);

}  // namespace datenwerk::http
