// Photos citizens upload, made safe to publish: decoded by libvips (JPEG, PNG, WebP, and HEIC
// where Debian's libheif reads it), turned upright by their EXIF orientation, scaled down and
// written anew as baseline JPEG in sRGB without any metadata (no EXIF, GPS position, XMP, IPTC,
// ICC profile or comments), plus a thumbnail. The original bytes are never kept.
//
// Hostile input is refused before it is decoded: a size limit on the bytes, a whitelist of
// decoders sniffed from the content (not from a file name or media type), and a limit on the
// pixels the header announces (decompression bombs). libvips' operations that are not meant for
// untrusted input are blocked process-wide.
//
// Thread-safe after InitPhotos() (which the first Reencode call makes, once). At most as many
// photos as the machine has cores are decoded at once; further calls wait their turn, so fifty
// citizens sending 12-megapixel photos together cost memory for two decodes, not fifty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datenwerk::photo {

struct Limits {
  size_t max_bytes = 10 << 20;          // per photo as uploaded
  int64_t max_pixels = 60'000'000;      // as the header announces them (a 48-megapixel phone fits)
  int max_side = 2000;                  // longest side of the published photo
  int thumbnail_side = 400;             // longest side of the thumbnail
  int quality = 82;                     // JPEG quality of both
};

struct Photo {
  std::string jpeg;       // the published photo
  std::string thumbnail;  // JPEG as well
  int width = 0, height = 0;  // of `jpeg`
};

// Starts libvips once per process (no operation cache, untrusted operations blocked). Idempotent.
void InitPhotos();

// The photo `bytes` re-encoded (see above). kInvalidArgument naming `field` with a German message
// for what is not a readable photo, too large in bytes or pixels; kTooLarge for bytes over the
// limit.
Result<Photo> Reencode(std::string_view bytes, const Limits& limits, const std::string& field);

// Whether JPEG `bytes` carry any metadata segment (APP1..APP15 or COM): EXIF, XMP, ICC, IPTC,
// comments. APP0 (JFIF's version and density) is not metadata about the photo or its author.
bool JpegHasMetadata(std::string_view bytes);

}  // namespace datenwerk::photo
