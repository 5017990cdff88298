#include "sheets/encoding.h"

#include <cstdint>

#include "core/utf8.h"

namespace datenwerk::sheets {

namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Windows-1252's 0x80-0x9F; 0 marks the unassigned bytes.
constexpr uint16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

Status NotText() {
  return InvalidArgument(
      "Die Datei ist keine Textdatei (CSV). Bitte speichern Sie die Tabelle als „CSV UTF-8“ oder „CSV "
      "(Trennzeichen-getrennt)“ und laden Sie sie erneut hoch.",
      "datei");
}

Result<DecodedText> FromUtf16(std::string_view bytes, bool little_endian) {
  if (bytes.size() % 2 != 0) return NotText();
  DecodedText out{"", little_endian ? "UTF-16LE" : "UTF-16BE"};
  out.text.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); i += 2) {
    auto unit = [&](size_t k) -> uint32_t {
      auto a = static_cast<unsigned char>(bytes[k]), b = static_cast<unsigned char>(bytes[k + 1]);
      return little_endian ? (a | (b << 8)) : ((a << 8) | b);
    };
    uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= bytes.size()) return NotText();
      uint32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) return NotText();
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
      return NotText();
    }
    AppendUtf8(out.text, cp);
  }
  return out;
}

// Control characters other than tab and line ends have no place in a table of figures.
Result<DecodedText> WithoutControls(Result<DecodedText> decoded) {
  if (!decoded.ok()) return decoded;
  for (unsigned char c : decoded->text) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      return InvalidArgument("Die Datei enthält Steuerzeichen, die in einer Tabelle nicht vorkommen. Bitte speichern Sie "
                             "sie erneut als CSV.",
                             "datei");
    }
  }
  return decoded;
}

Result<DecodedText> Decode(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xFE")) return FromUtf16(bytes.substr(2), true);
  if (bytes.starts_with("\xFE\xFF")) return FromUtf16(bytes.substr(2), false);
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (bytes.find('\0') != std::string_view::npos) return NotText();
  if (IsUtf8(bytes)) return DecodedText{std::string(bytes), "UTF-8"};
  DecodedText out{"", "Windows-1252"};
  out.text.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out.text += static_cast<char>(c);
    } else if (c < 0xA0) {
      uint16_t cp = kCp1252High[c - 0x80];
      if (cp == 0) return NotText();
      AppendUtf8(out.text, cp);
    } else {
      AppendUtf8(out.text, c);  // Latin-1 and Windows-1252 agree from 0xA0
    }
  }
  return out;
}

}  // namespace

Result<DecodedText> DecodeText(std::string_view bytes) { return WithoutControls(Decode(bytes)); }

}  // namespace datenwerk::sheets
