#include "photo/photo.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <string>

namespace datenwerk::photo {
namespace {

// A test picture made by libvips: a gradient of `width` × `height` in the format of `suffix`
// (".jpg", ".png"), with an alpha channel when asked.
std::string Picture(int width, int height, const char* suffix, bool alpha = false) {
  InitPhotos();
  VipsImage* xyz = nullptr;
  EXPECT_EQ(vips_xyz(&xyz, width, height, nullptr), 0);
  VipsImage* bands = nullptr;  // x, y, and x again: three bands
  VipsImage* parts[3] = {xyz, xyz, xyz};
  EXPECT_EQ(vips_bandjoin(parts, &bands, 3, nullptr), 0);
  VipsImage* pixels = nullptr;
  EXPECT_EQ(vips_cast_uchar(bands, &pixels, nullptr), 0);
  if (alpha) {
    VipsImage* with_alpha = nullptr;
    EXPECT_EQ(vips_bandjoin_const1(pixels, &with_alpha, 128.0, nullptr), 0);
    g_object_unref(pixels);
    pixels = with_alpha;
  }
  vips_image_set_int(pixels, "interpretation", VIPS_INTERPRETATION_sRGB);
  void* out = nullptr;
  size_t length = 0;
  EXPECT_EQ(vips_image_write_to_buffer(pixels, suffix, &out, &length, nullptr), 0);
  std::string bytes(static_cast<const char*>(out), length);
  g_free(out);
  g_object_unref(pixels);
  g_object_unref(bands);
  g_object_unref(xyz);
  return bytes;
}

void Put16(std::string& s, int v) { s += char(v & 0xFF), s += char((v >> 8) & 0xFF); }
void Put32(std::string& s, uint32_t v) { Put16(s, int(v & 0xFFFF)), Put16(s, int(v >> 16)); }

// An EXIF segment as a phone writes one, reduced to what matters here: orientation 6 (the camera
// was turned: rotate 90° clockwise to show) and a GPS position, 51° 28' 54" N.
std::string ExifSegment() {
  std::string tiff = "II";
  Put16(tiff, 42);
  Put32(tiff, 8);
  Put16(tiff, 2);  // IFD0: orientation, GPS IFD pointer
  Put16(tiff, 0x0112), Put16(tiff, 3), Put32(tiff, 1), Put16(tiff, 6), Put16(tiff, 0);
  Put16(tiff, 0x8825), Put16(tiff, 4), Put32(tiff, 1), Put32(tiff, 38);
  Put32(tiff, 0);
  Put16(tiff, 2);  // GPS IFD at 38: latitude reference and latitude
  Put16(tiff, 0x0001), Put16(tiff, 2), Put32(tiff, 2), tiff += std::string("N\0\0\0", 4);
  Put16(tiff, 0x0002), Put16(tiff, 5), Put32(tiff, 3), Put32(tiff, 68);
  Put32(tiff, 0);
  for (uint32_t v : {51u, 1u, 28u, 1u, 5400u, 100u}) Put32(tiff, v);
  const std::string body = std::string("Exif\0\0", 6) + tiff;
  const size_t length = body.size() + 2;
  return std::string("\xFF\xE1", 2) + char(length >> 8) + char(length & 0xFF) + body;
}

std::string WithExif(const std::string& jpeg) { return jpeg.substr(0, 2) + ExifSegment() + jpeg.substr(2); }

TEST(Photo, StripsEveryMetadataAndTurnsThePhotoUpright) {
  const std::string original = WithExif(Picture(300, 200, ".jpg"));
  ASSERT_TRUE(JpegHasMetadata(original));
  ASSERT_NE(original.find("Exif"), std::string::npos);
  auto photo = Reencode(original, {}, "media");
  ASSERT_TRUE(photo.ok()) << photo.status().message();
  EXPECT_FALSE(JpegHasMetadata(photo->jpeg));
  EXPECT_FALSE(JpegHasMetadata(photo->thumbnail));
  EXPECT_EQ(photo->jpeg.find("Exif"), std::string::npos);
  // The orientation was applied to the pixels, then dropped with the rest.
  EXPECT_EQ(photo->width, 200);
  EXPECT_EQ(photo->height, 300);
}

TEST(Photo, ScalesDownToTheLimitsAndNeverUp) {
  Limits limits;
  limits.max_side = 1000;
  limits.thumbnail_side = 100;
  auto big = Reencode(Picture(3000, 1500, ".jpg"), limits, "media");
  ASSERT_TRUE(big.ok()) << big.status().message();
  EXPECT_EQ(big->width, 1000);
  EXPECT_EQ(big->height, 500);
  VipsImage* thumb = vips_image_new_from_buffer(big->thumbnail.data(), big->thumbnail.size(), "", nullptr);
  ASSERT_NE(thumb, nullptr);
  EXPECT_EQ(vips_image_get_width(thumb), 100);
  g_object_unref(thumb);
  auto small = Reencode(Picture(120, 80, ".jpg"), limits, "media");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->width, 120);
}

TEST(Photo, PngWithTransparencyBecomesAJpegOnWhite) {
  auto photo = Reencode(Picture(64, 64, ".png", /*alpha=*/true), {}, "media");
  ASSERT_TRUE(photo.ok()) << photo.status().message();
  EXPECT_EQ(photo->jpeg.substr(0, 2), "\xFF\xD8");
  VipsImage* image = vips_image_new_from_buffer(photo->jpeg.data(), photo->jpeg.size(), "", nullptr);
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(vips_image_get_bands(image), 3);
  g_object_unref(image);
}

TEST(Photo, RefusesWhatIsNotAPhotoBeforeDecodingIt) {
  for (const std::string& junk :
       {std::string(), std::string("hello"), std::string("\xFF\xD8\xFF\xE0garbage", 11),
        std::string("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"),
        std::string("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"), std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14)}) {
    auto photo = Reencode(junk, {}, "media");
    ASSERT_FALSE(photo.ok()) << junk;
    EXPECT_EQ(photo.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(photo.status().field(), "media");
  }
  // A JPEG cut off in the middle is refused, not half-published.
  const std::string whole = Picture(400, 300, ".jpg");
  EXPECT_FALSE(Reencode(whole.substr(0, whole.size() / 2), {}, "media").ok());
}

TEST(Photo, RefusesTooManyBytesOrPixels) {
  Limits limits;
  limits.max_bytes = 1000;
  auto heavy = Reencode(Picture(400, 300, ".png"), limits, "foto");
  ASSERT_FALSE(heavy.ok());
  EXPECT_EQ(heavy.status().code(), ErrorCode::kTooLarge);
  limits = {};
  limits.max_pixels = 10'000;
  auto wide = Reencode(Picture(400, 300, ".jpg"), limits, "foto");
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("Bildpunkte"), std::string::npos);
}

TEST(Photo, MetadataCheckReadsSegmentsUpToTheScan) {
  const std::string clean = Picture(16, 16, ".jpg");
  EXPECT_FALSE(JpegHasMetadata(Reencode(clean, {}, "m")->jpeg));
  EXPECT_TRUE(JpegHasMetadata(WithExif(clean)));
  std::string comment = clean.substr(0, 2) + std::string("\xFF\xFE\x00\x05hi!", 7) + clean.substr(2);
  EXPECT_TRUE(JpegHasMetadata(comment));
  EXPECT_TRUE(JpegHasMetadata("\xFF\xD8"));  // cut short: not known to be clean
}

}  // namespace
}  // namespace datenwerk::photo
