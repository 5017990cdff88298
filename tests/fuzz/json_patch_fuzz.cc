// JSON Patch: the input is a document and a patch, separated by the first newline.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sta/json_patch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  boost::system::error_code ec1, ec2;
  boost::json::value doc = boost::json::parse(text.substr(0, newline), ec1);
  boost::json::value patch = boost::json::parse(text.substr(newline + 1), ec2);
  if (ec1 || ec2) return 0;
  (void)datenwerk::sta::ApplyJsonPatch(std::move(doc), patch);
  return 0;
}
