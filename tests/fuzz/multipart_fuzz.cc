// Multipart batch bodies: the parts, the change sets inside them and the embedded requests,
// as ParseMultipart reads them (the boundary is the corpus' "b").
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace datenwerk::http;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)BoundaryOf(text);
  (void)MediaType(text);
  auto parts = SplitMultipart(text, "b", "body");
  if (!parts.ok()) return 0;
  for (const MimePart& part : *parts) {
    (void)ParseEmbeddedRequest(part.body, "part");
    if (auto inner = part.headers.find("content-type"); inner != part.headers.end()) {
      if (auto boundary = BoundaryOf(inner->second)) {
        if (auto changes = SplitMultipart(part.body, *boundary, "part"); changes.ok()) {
          for (const MimePart& change : *changes) (void)ParseEmbeddedRequest(change.body, "change");
        }
      }
    }
  }
  return 0;
}
