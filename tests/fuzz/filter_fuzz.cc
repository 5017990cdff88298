// $filter: parse any text against every entity type, and evaluate what parses against a
// resolver that answers several values per path (as to-many navigation does).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sta/filter.h"
#include "sta/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace datenwerk::sta;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const char* set : {"Things", "Observations", "Locations", "Datastreams"}) {
    auto filter = Filter::Parse(text, *DefinitionBySetName(set));
    if (!filter.ok()) continue;
    auto resolve = [](const std::vector<std::string>& path)
        -> datenwerk::Result<std::vector<boost::json::value>> {
      if (path.back() == "location" || path.back() == "feature") {
        return std::vector<boost::json::value>{boost::json::parse(
            R"({"type":"Polygon","coordinates":[[[7,51],[8,51],[8,52],[7,51]]]})")};
      }
      return std::vector<boost::json::value>{21.5, "Westpark", nullptr,
                                             "2024-05-01T10:00:00Z"};
    };
    (void)filter->Matches(resolve, 1714600000000);
  }
  return 0;
}
