// The spreadsheet import: any bytes (any encoding, any separators) against a small catalogue.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sheets/value_sheet.h"

namespace {

const datenwerk::Catalogue& SmallCatalogue() {
  static const datenwerk::Catalogue catalogue = [] {
    datenwerk::CatalogueData d;
    d.themes.push_back({"NMU", "Umwelt"});
    d.fields.push_back({"NMU-KK", "NMU", "5.4.3", "Klima"});
    datenwerk::Kpi k;
    k.id = "SCBOK-NMU-KK-K1.2";
    k.field_id = "NMU-KK";
    k.name = "Sensoren";
    d.kpis.push_back(k);
    datenwerk::KpiValue v;
    v.id = 1;
    v.kpi_id = k.id;
    v.date = "2022-06-30";
    v.value = 23;
    d.values.push_back(v);
    return datenwerk::Catalogue(std::move(d));
  }();
  return catalogue;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)datenwerk::sheets::PlanValueImport(
      text, SmallCatalogue(), {[](const datenwerk::Kpi&) { return true; }, [](const std::string&, int64_t id) { return id % 2 == 0; }});
  return 0;
}
