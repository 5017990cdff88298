// The open data's inputs from outside: Accept headers, the boundary GeoJSON, an administrator's
// curation, and any text or IRI in the catalogue's graph, whose three serialisations must stay
// well-formed UTF-8 without control characters but line feed and tab. The first byte picks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "opendata/area.h"
#include "opendata/catalog_routes.h"
#include "opendata/curation.h"
#include "opendata/rdf.h"

namespace {

void CheckClean(const std::string& out) {
  if (!datenwerk::IsUtf8(out)) std::abort();
  for (char c : out) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace datenwerk::opendata;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      (void)ChooseSyntax(text);
      break;
    case 1:
      (void)AreaFromBoundary(text);
      break;
    case 2: {
      const size_t cut = text.size() / 2;
      Graph g;
      const Term subject = Term::Iri(text.substr(0, cut));
      g.Add(subject, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", Term::Iri("http://www.w3.org/ns/dcat#Dataset"));
      g.Add(subject, "http://purl.org/dc/terms/title", Term::Text(text.substr(cut), "de"));
      g.Add(subject, "http://purl.org/dc/terms/issued", Term::Typed(text, "http://www.w3.org/2001/XMLSchema#string"));
      g.Add(subject, "http://www.w3.org/ns/dcat#landingPage", Term::Iri(text.substr(cut)));
      const Prefixes prefixes = {{"dcat", "http://www.w3.org/ns/dcat#"}, {"dct", "http://purl.org/dc/terms/"}};
      CheckClean(ToTurtle(g, prefixes));
      CheckClean(ToJsonLd(g, prefixes));
      CheckClean(ToRdfXml(g, prefixes));
      break;
    }
    case 3: {
      const size_t cut = text.size() / 3;
      Curation c{text.substr(0, cut), text.substr(cut), text, {text.substr(cut, cut)}, text.substr(0, cut), text, ""};
      (void)Validate(c);
      break;
    }
  }
  return 0;
}
