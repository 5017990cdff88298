// multipart/form-data (RFC 7578): what a browser posts for a form with a file field, and what
// Open311 clients post with photos. Files are not copied: they view the body (a 5 MB photo is
// held once, not three times, while fifty arrive together). Pure and bounded: at most 30 parts, text fields up to 64 KiB
// of clean UTF-8 text, part headers up to 8 KiB; files as they came (their size is bounded by
// the server's body limit for the path). Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace datenwerk::http {

struct FilePart {
  std::string field;      // the form field's name
  std::string file_name;  // as the browser sent it (only for display; never a path of ours)
  std::string_view content;  // views the request's body: valid while the request is
};

struct FormData {
  std::vector<std::pair<std::string, std::string>> fields;  // text parts in order, names repeated
  std::vector<FilePart> files;  // file parts in order; a file input left empty is left out
};

inline constexpr size_t kMaxFormParts = 30;

// `content_type` is the request's header (it carries the boundary). kInvalidArgument with a
// German message, naming the field where one is known, for anything malformed.
Result<FormData> ParseFormData(std::string_view content_type, std::string_view body);

// Whether `text` is UTF-8 without control characters other than tab, LF and CR.
bool IsCleanText(std::string_view text);

}  // namespace datenwerk::http
