// Where a typed address lies, for the report form and the area subscriptions: first the city's
// imported house coordinates (addresses.h, offline), then the configured geocoder (geocode/,
// online, only when the city set --geocoder). A position outside the city counts as not found.
// Thread-safe; borrows the store and owns the geocoder.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "echo/addresses.h"
#include "geocode/geocoder.h"

namespace datenwerk::echo {

class AddressLocator {
 public:
  // `geocoder` may be null; `inside` says whether a position lies in the city (null: all do).
  AddressLocator(AddressStore& addresses, std::unique_ptr<geocode::Geocoder> geocoder,
                 std::function<bool(double lat, double lon)> inside);

  // The position of "Rathausplatz 1" or "Rathausplatz 1, 44787 Bochum" (the part before the
  // first comma is matched against the house coordinates; the whole text goes to the
  // geocoder). nullopt when unknown, ambiguous in the file, or outside the city.
  Result<std::optional<LatLon>> Locate(const std::string& typed);

 private:
  AddressStore& addresses_;
  std::unique_ptr<geocode::Geocoder> geocoder_;
  std::function<bool(double, double)> inside_;
};

}  // namespace datenwerk::echo
