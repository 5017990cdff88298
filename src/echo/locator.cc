#include "echo/locator.h"

namespace datenwerk::echo {

AddressLocator::AddressLocator(AddressStore& addresses, std::unique_ptr<geocode::Geocoder> geocoder,
                               std::function<bool(double lat, double lon)> inside)
    : addresses_(addresses), geocoder_(std::move(geocoder)), inside_(std::move(inside)) {}

Result<std::optional<LatLon>> AddressLocator::Locate(const std::string& typed) {
  if (typed.empty() || typed.size() > 500) return std::optional<LatLon>();
  auto found = addresses_.Exact(typed.substr(0, typed.find(',')));
  if (!found.ok()) return found.status();
  if (found->size() == 1) {
    const Address& a = found->front();
    if (!inside_ || inside_(a.lat, a.lon)) return std::optional<LatLon>(LatLon{a.lat, a.lon});
  }
  if (!geocoder_) return std::optional<LatLon>();
  // The geocoder's candidates, best first: the first inside the city.
  for (const geocode::Place& place : geocoder_->Search(typed)) {
    if (!inside_ || inside_(place.lat, place.lon)) return std::optional<LatLon>(LatLon{place.lat, place.lon});
  }
  return std::optional<LatLon>();
}

}  // namespace datenwerk::echo
