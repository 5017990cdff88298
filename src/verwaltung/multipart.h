// multipart/form-data as the back office reads it (http/form_data.h): text fields by name, the
// first occurrence winning, and the files.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/form_data.h"
#include "verwaltung/form.h"

namespace datenwerk::verwaltung {

using UploadedFile = http::FilePart;

struct MultipartForm {
  FormData fields;  // text parts; the first occurrence of a name wins
  std::vector<UploadedFile> files;
};

// `content_type` is the request's header (it carries the boundary). kInvalidArgument with a
// German message for anything malformed.
Result<MultipartForm> ParseMultipart(std::string_view content_type, std::string_view body);

}  // namespace datenwerk::verwaltung
