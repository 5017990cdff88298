#include "photo/photo.h"

#include <vips/vips.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <thread>

namespace datenwerk::photo {

namespace {

struct Unref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using Image = std::unique_ptr<VipsImage, Unref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using Buffer = std::unique_ptr<void, GFree>;

// The decoders a citizen's upload may reach, by libvips class name prefix; everything else
// (SVG, PDF, TIFF, FITS, Matlab, ImageMagick, …) is refused before it is decoded.
constexpr std::array<std::string_view, 5> kLoaders = {"VipsForeignLoadJpeg", "VipsForeignLoadPng",
                                                      "VipsForeignLoadSpng", "VipsForeignLoadWebp",
                                                      "VipsForeignLoadHeif"};

Status NotAPhoto(const std::string& field) {
  return InvalidArgument("Die Datei ist kein lesbares Foto. Möglich sind JPEG, PNG, WebP und HEIC.", field);
}

// Decoded, upright, scaled into `side` × `side`, 8-bit sRGB without alpha: JPEG bytes without
// metadata.
Result<std::string> Encode(std::string_view bytes, int side, int quality, const std::string& field) {
  VipsImage* raw = nullptr;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &raw, side, "height", side, "size",
                            VIPS_SIZE_DOWN, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr) != 0) {
    vips_error_clear();
    return NotAPhoto(field);
  }
  Image image(raw);
  if (vips_image_hasalpha(image.get())) {
    VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
    VipsImage* flat = nullptr;
    const int failed = vips_flatten(image.get(), &flat, "background", white, nullptr);
    vips_area_unref(VIPS_AREA(white));
    if (failed != 0) {
      vips_error_clear();
      return NotAPhoto(field);
    }
    image.reset(flat);
  }
  void* out = nullptr;
  size_t length = 0;
  if (vips_jpegsave_buffer(image.get(), &out, &length, "Q", quality, "strip", TRUE, "optimize_coding", TRUE,
                           nullptr) != 0) {
    vips_error_clear();
    return NotAPhoto(field);
  }
  Buffer owned(out);
  return std::string(static_cast<const char*>(out), length);
}

// Decodes at a time: one per core (the work is CPU-bound; more only adds memory), admitted in
// the order they asked (first come, first served: no photo waits behind later ones).
class DecodeGate {
 public:
  static DecodeGate& Instance() {
    static DecodeGate gate(std::clamp<uint64_t>(std::thread::hardware_concurrency(), 1, 64));
    return gate;
  }
  void Enter() {
    std::unique_lock lock(mutex_);
    const uint64_t ticket = next_ticket_++;
    admitted_changed_.wait(lock, [&] { return ticket < admitted_; });
  }
  void Leave() {
    {
      std::lock_guard lock(mutex_);
      ++admitted_;
    }
    admitted_changed_.notify_all();
  }

 private:
  explicit DecodeGate(uint64_t slots) : admitted_(slots) {}
  std::mutex mutex_;
  std::condition_variable admitted_changed_;
  uint64_t next_ticket_ = 0;
  uint64_t admitted_;  // tickets below this may decode
};

// Holds one decode slot for its lifetime.
class DecodeSlot {
 public:
  DecodeSlot() { DecodeGate::Instance().Enter(); }
  ~DecodeSlot() { DecodeGate::Instance().Leave(); }
  DecodeSlot(const DecodeSlot&) = delete;
  DecodeSlot& operator=(const DecodeSlot&) = delete;
};

}  // namespace

void InitPhotos() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("datenwerk") != 0) vips_error_clear();
    vips_cache_set_max(0);        // nothing of one citizen's photo stays in memory for the next
    vips_cache_set_max_mem(0);
    vips_block_untrusted_set(TRUE);
    vips_concurrency_set(1);      // requests run in parallel already; one thread each
    // A broken upload is the citizen's answer (a refusal), not a line in the server's log.
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {},
                      nullptr);
  });
}

Result<Photo> Reencode(std::string_view bytes, const Limits& limits, const std::string& field) {
  InitPhotos();
  if (bytes.size() > limits.max_bytes) {
    return Status(ErrorCode::kTooLarge,
                  "Das Foto ist zu groß (höchstens " + std::to_string(limits.max_bytes >> 20) + " MB).", field);
  }
  if (bytes.empty()) return NotAPhoto(field);
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  if (!loader) {
    vips_error_clear();
    return NotAPhoto(field);
  }
  bool allowed = false;
  for (std::string_view prefix : kLoaders) allowed = allowed || std::string_view(loader).starts_with(prefix);
  if (!allowed) return NotAPhoto(field);
  // libjpeg only warns of a file cut short and greys out the rest; such a photo is refused. In
  // the entropy-coded data FF is always followed by 00 or a restart marker, so an FF D9 after the
  // start of scan is the end of the image.
  if (std::string_view(loader).starts_with("VipsForeignLoadJpeg")) {
    const size_t scan = bytes.find("\xFF\xDA");
    if (scan == std::string_view::npos || bytes.find("\xFF\xD9", scan) == std::string_view::npos) {
      return InvalidArgument("Das Foto ist unvollständig angekommen. Bitte senden Sie es noch einmal.", field);
    }
  }
  {
    // Only the header is read here: the pixels it announces are checked before any are decoded.
    VipsImage* raw = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                                VIPS_ACCESS_SEQUENTIAL, nullptr);
    if (!raw) {
      vips_error_clear();
      return NotAPhoto(field);
    }
    Image header(raw);
    const int64_t pixels = int64_t{vips_image_get_width(raw)} * vips_image_get_height(raw);
    if (pixels > limits.max_pixels) {
      return InvalidArgument("Das Foto hat zu viele Bildpunkte (höchstens " +
                                 std::to_string(limits.max_pixels / 1'000'000) + " Megapixel).",
                             field);
    }
  }
  DecodeSlot slot;
  auto jpeg = Encode(bytes, limits.max_side, limits.quality, field);
  if (!jpeg.ok()) return jpeg.status();
  Photo photo;
  photo.jpeg = std::move(jpeg).value();
  {
    VipsImage* raw = vips_image_new_from_buffer(photo.jpeg.data(), photo.jpeg.size(), "", nullptr);
    if (!raw) {
      vips_error_clear();
      return NotAPhoto(field);
    }
    Image written(raw);
    photo.width = vips_image_get_width(raw);
    photo.height = vips_image_get_height(raw);
  }
  auto thumbnail = Encode(photo.jpeg, limits.thumbnail_side, limits.quality, field);
  if (!thumbnail.ok()) return thumbnail.status();
  photo.thumbnail = std::move(thumbnail).value();
  return photo;
}

bool JpegHasMetadata(std::string_view bytes) {
  // Markers from SOI up to the start of scan: each segment is FF xx and a big-endian length.
  size_t at = 2;
  while (at + 4 <= bytes.size()) {
    if (static_cast<unsigned char>(bytes[at]) != 0xFF) return true;  // not a clean stream: assume the worst
    const auto marker = static_cast<unsigned char>(bytes[at + 1]);
    if (marker == 0xDA) return false;  // start of scan: no more segments before the pixels
    if ((marker >= 0xE1 && marker <= 0xEF) || marker == 0xFE) return true;
    const size_t length = (static_cast<unsigned char>(bytes[at + 2]) << 8) | static_cast<unsigned char>(bytes[at + 3]);
    at += 2 + length;
  }
  return true;
}

}  // namespace datenwerk::photo
