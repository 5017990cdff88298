// Text files as spreadsheets save them: UTF-8 (with or without byte order mark), UTF-16 with a
// byte order mark ("Unicode-Text" in Excel), or Windows-1252 (what Excel on German Windows
// writes as "CSV (Trennzeichen-getrennt)"). Everything becomes UTF-8. Pure.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace datenwerk::sheets {

struct DecodedText {
  std::string text;      // UTF-8, without byte order mark
  std::string encoding;  // "UTF-8", "UTF-16LE", "UTF-16BE" or "Windows-1252"
};

// Valid UTF-8 stays; UTF-16 needs its byte order mark; anything else is read as Windows-1252,
// whose five unassigned bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) and NUL bytes make it kInvalidArgument
// (German message: the file is no text file).
Result<DecodedText> DecodeText(std::string_view bytes);

}  // namespace datenwerk::sheets
