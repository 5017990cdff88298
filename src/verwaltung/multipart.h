// multipart/form-data (RFC 7578), what a browser posts for a form with a file field. Pure and
// bounded: at most 20 parts, text fields up to 64 KiB, part headers up to 8 KiB.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "verwaltung/form.h"

namespace datenwerk::verwaltung {

struct UploadedFile {
  std::string field;      // the form field's name
  std::string file_name;  // as the browser sent it (only for display; never a path of ours)
  std::string content;
};

struct MultipartForm {
  FormData fields;  // text parts; the first occurrence of a name wins
  std::vector<UploadedFile> files;
};

// `content_type` is the request's header (it carries the boundary). kInvalidArgument with a
// German message for anything malformed.
Result<MultipartForm> ParseMultipart(std::string_view content_type, std::string_view body);

}  // namespace datenwerk::verwaltung
