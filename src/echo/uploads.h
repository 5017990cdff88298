// What a filing brings beside its text: the form's fields from either encoding a browser or an
// Open311 client uses, and its photos, each made safe to publish (photo/photo.h). Pure apart from
// the CPU the re-encoding takes; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/form_data.h"
#include "photo/photo.h"

namespace datenwerk::echo {

// The largest body a filing may have: three photos at their limit and the text.
inline constexpr size_t kFilingBodyLimit = 3 * (10u << 20) + (1u << 20);

// application/x-www-form-urlencoded or multipart/form-data, by `content_type`; kInvalidArgument
// for a malformed body, kUnsupportedMediaType-like kInvalidArgument naming "body" for another type.
Result<http::FormData> ParseFiling(std::string_view content_type, std::string_view body);

// The files of `form` under `field`, each re-encoded; at most kMaxPhotos. kInvalidArgument (or
// kTooLarge) naming `field` for too many files or one that is not a photo. Files under other
// names are refused too, so that nothing sent is silently dropped.
Result<std::vector<photo::Photo>> PhotosOf(const http::FormData& form, const std::string& field,
                                           const photo::Limits& limits = {});

}  // namespace datenwerk::echo
