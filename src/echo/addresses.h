// Address search that works offline: the city imports its official house coordinates
// (`datenwerk import-addresses`), and the form turns a typed address into a position. The file
// is the nationwide "Hauskoordinaten Deutschland" layout (HK-DE) that NRW's Geobasis and the other
// surveying offices deliver: UTF-8 text, one house a line, 18 fields separated by semicolons —
// NBA; OI; QUA; LAN; RBZ; KRS; GMD; OTT; SSS; HNR; ADZ; East; North; STN; PLZ; ONM; ZON; POT —
// with East and North in ETRS89 / UTM zone 32 (EPSG:25832), decimal comma. Pure parsing and
// conversion; the store keeps the addresses in the one database and searches them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::echo {

struct Address {
  std::string street;   // STN
  std::string number;   // HNR and ADZ: "12a"
  std::string postcode, place;
  double lat = 0, lon = 0;  // WGS 84
  std::string Label() const;  // "Rathausplatz 1, 44787 Bochum"
};

// ETRS89 / UTM zone 32 north (EPSG:25832) to geographic coordinates (GRS80; within a metre of
// WGS 84, which the maps use). The Krüger series to the fourth order: millimetres within the zone.
struct LatLon {
  double lat = 0, lon = 0;
};
LatLon Utm32ToLatLon(double east, double north);

// The houses of an HK-DE file. kInvalidArgument naming "line N" for a line with another number
// of fields, coordinates that are not numbers or lie outside zone 32 in Germany, or text that is
// not UTF-8. At most 5,000,000 lines (a state's worth).
Result<std::vector<Address>> ParseHouseCoordinates(std::string_view text);

// The form of a street and number that searches compare: lower case, "ß" as "ss", "straße",
// "strasse" and "str." as "str", without spaces, dots and hyphens ("Rathaus-Platz 1 A" and
// "rathausplatz 1a" match).
std::string AddressKey(std::string_view text);

// The imported addresses in the one database (table echo_addresses). Thread-safe.
class AddressStore {
 public:
  static Result<std::unique_ptr<AddressStore>> Open(sql::Connection& db);
  explicit AddressStore(sql::Connection& db) : db_(db) {}
  // Replaces every address with `addresses` in one write.
  Status Replace(const std::vector<Address>& addresses);
  // Addresses whose key starts with the query's key, at most `limit`, in key order; a query
  // under three characters finds nothing.
  Result<std::vector<Address>> Search(std::string_view query, int64_t limit);
  // The address whose key is exactly the query's, if any.
  Result<std::vector<Address>> Exact(std::string_view query);

 private:
  sql::Connection& db_;
};

}  // namespace datenwerk::echo
