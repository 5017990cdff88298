// UTF-8 checks shared by forms and file imports. Pure.
#pragma once

#include <string_view>

namespace datenwerk {

// True for well-formed UTF-8 (no overlong forms, no surrogates, nothing beyond U+10FFFF).
bool IsUtf8(std::string_view bytes);

}  // namespace datenwerk
