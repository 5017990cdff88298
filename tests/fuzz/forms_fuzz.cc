// What browsers post to the back office and BürgerEcho (and Open311 clients to it): URL-encoded
// forms, multipart uploads, cookies, the dates and numbers people type, the public map's view,
// a configured base map and imported house coordinates; a geocoder's answer and uploaded
// responsibility areas (GeoJSON). The first line of the input is the Content-Type of the multipart
// parse, the rest its body.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/dates.h"
#include "core/german_number.h"
#include "echo/addresses.h"
#include "echo/office_areas.h"
#include "echo/open311.h"
#include "echo/report_map.h"
#include "echo/uploads.h"
#include "verwaltung/form.h"
#include "verwaltung/multipart.h"
#include "geocode/geocoder.h"
#include "web/basemap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)datenwerk::verwaltung::ParseForm(text);
  (void)datenwerk::verwaltung::ParseCookies(text);
  (void)datenwerk::ParseGermanOrIsoDate(text.substr(0, 64));
  (void)datenwerk::ParseLocalNumber(text.substr(0, 80));
  const size_t eol = text.find('\n');
  if (eol != std::string_view::npos) {
    (void)datenwerk::verwaltung::ParseMultipart(text.substr(0, eol), text.substr(eol + 1));
  }
  (void)datenwerk::verwaltung::ParseMultipart("multipart/form-data; boundary=x", text);
  // The map's view (bbox and zoom as the map script sends them) and a configured base map.
  const std::string head(text.substr(0, std::min<size_t>(text.size(), 200)));
  const size_t amp = head.find('&');
  (void)datenwerk::echo::ParseMapView(head.substr(0, amp), amp == std::string::npos ? "12" : head.substr(amp + 1));
  (void)datenwerk::web::ParseBasemap(head, "Quelle");
  // House coordinates as a city imports them, and the key an address is searched by.
  (void)datenwerk::echo::ParseHouseCoordinates(text.substr(0, 8192));
  (void)datenwerk::echo::AddressKey(head);
  for (std::string_view type : {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
    auto filing = datenwerk::echo::ParseFiling(type, text);
    if (filing.ok()) {
      (void)datenwerk::echo::NewReportFromForm(filing->fields);
      (void)datenwerk::echo::UpdateFromForm(filing->fields);
    }
  }
  (void)datenwerk::geocode::ParseAnswer(text);
  static const auto services = datenwerk::echo::Services::Parse(
      "stelle;name;email\nusb;USB;\n", "code;name;gruppe;art;stelle;beschreibung;schlagwoerter\nmuell;Müll;A;mangel;usb;;\n",
      "", "");
  if (services.ok()) (void)datenwerk::echo::OfficeAreas::Parse(std::string(text), **services);
  return 0;
}
