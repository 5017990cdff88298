#include "echo/addresses.h"

#include <charconv>
#include <cmath>
#include <numbers>

#include "core/utf8.h"

namespace datenwerk::echo {

namespace {

constexpr size_t kMaxLines = 5'000'000;

std::optional<double> GermanNumber(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (c == ',') c = '.';
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

constexpr const char* kColumns = "street, number, postcode, place, lat, lon";

// Characters, as SQL's substr counts them on text.
int64_t CodePoints(std::string_view utf8) {
  int64_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

Address AddressOf(const sql::Row& r) {
  return Address{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Real(4), r.Real(5)};
}

}  // namespace

std::string Address::Label() const {
  std::string out = street + " " + number;
  if (!postcode.empty() || !place.empty()) out += "," + (postcode.empty() ? "" : " " + postcode) + (place.empty() ? "" : " " + place);
  return out;
}

LatLon Utm32ToLatLon(double east, double north) {
  // GRS80, UTM zone 32: central meridian 9° E, scale 0.9996, false easting 500 km.
  const double a = 6378137.0, f = 1 / 298.257222101, k0 = 0.9996;
  const double n = f / (2 - f), n2 = n * n, n3 = n2 * n, n4 = n3 * n;
  const double A = a / (1 + n) * (1 + n2 / 4 + n4 / 64);
  const double beta[4] = {n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360, n2 / 48 + n3 / 15 - 437 * n4 / 1440,
                          17 * n3 / 480 - 37 * n4 / 840, 4397 * n4 / 161280};
  const double delta[4] = {2 * n - 2 * n2 / 3 - 2 * n3 + 116 * n4 / 45, 7 * n2 / 3 - 8 * n3 / 5 - 227 * n4 / 45,
                           56 * n3 / 15 - 136 * n4 / 35, 4279 * n4 / 630};
  const double xi = north / (k0 * A), eta = (east - 500000.0) / (k0 * A);
  double xi1 = xi, eta1 = eta;
  for (int j = 1; j <= 4; ++j) {
    xi1 -= beta[j - 1] * std::sin(2 * j * xi) * std::cosh(2 * j * eta);
    eta1 -= beta[j - 1] * std::cos(2 * j * xi) * std::sinh(2 * j * eta);
  }
  const double chi = std::asin(std::sin(xi1) / std::cosh(eta1));
  double phi = chi;
  for (int j = 1; j <= 4; ++j) phi += delta[j - 1] * std::sin(2 * j * chi);
  const double lambda = 9.0 * std::numbers::pi / 180 + std::atan2(std::sinh(eta1), std::cos(xi1));
  return {phi * 180 / std::numbers::pi, lambda * 180 / std::numbers::pi};
}

Result<std::vector<Address>> ParseHouseCoordinates(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!IsUtf8(text)) return InvalidArgument("must be UTF-8 text", "file");
  std::vector<Address> out;
  size_t line_number = 0;
  for (size_t at = 0; at < text.size();) {
    const size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_number;
    if (line_number > kMaxLines) return InvalidArgument("has more than 5,000,000 lines", "file");
    if (line.empty() || line == "\r") continue;
    std::vector<std::string_view> fields;
    for (size_t from = 0;;) {
      const size_t semicolon = line.find(';', from);
      fields.push_back(line.substr(from, semicolon == std::string_view::npos ? std::string_view::npos : semicolon - from));
      if (semicolon == std::string_view::npos || fields.size() > 18) break;
      from = semicolon + 1;
    }
    const std::string where = "line " + std::to_string(line_number);
    if (fields.size() != 18) {
      return InvalidArgument("must have the 18 fields of HK-DE (NBA;OI;QUA;…;POT), has " + std::to_string(fields.size()),
                             where);
    }
    const auto east = GermanNumber(Trim(fields[11]));
    const auto north = GermanNumber(Trim(fields[12]));
    // Zone 32 as used in Germany: eastings of a few hundred kilometres, northings of 5.2 to 6.2 Mm.
    if (!east || !north || *east < 100'000 || *east > 900'000 || *north < 5'200'000 || *north > 6'200'000) {
      return InvalidArgument("East and North must be ETRS89/UTM zone 32 metres (e.g. 376136,715;5704913,893)", where);
    }
    Address a;
    a.street = Trim(fields[13]);
    a.number = Trim(fields[9]) + Trim(fields[10]);
    a.postcode = Trim(fields[14]);
    a.place = Trim(fields[15]);
    if (a.street.empty() || a.number.empty() || a.street.size() > 200 || a.number.size() > 20) {
      return InvalidArgument("needs a street name (STN) and a house number (HNR)", where);
    }
    const LatLon p = Utm32ToLatLon(*east, *north);
    a.lat = p.lat;
    a.lon = p.lon;
    out.push_back(std::move(a));
  }
  return out;
}

std::string AddressKey(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '.' || c == '-' || c == ',' || c == '\t') continue;
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < text.size()) {
      const unsigned char d = static_cast<unsigned char>(text[++i]);
      // Ä Ö Ü → ä ö ü; ß → ss.
      if (d == 0x84 || d == 0x96 || d == 0x9C) out += {static_cast<char>(0xC3), static_cast<char>(d + 0x20)};
      else if (d == 0x9F) out += "ss";
      else out += {static_cast<char>(c), static_cast<char>(d)};
    } else {
      out += static_cast<char>(c);
    }
  }
  ReplaceAll(out, "strasse", "str");
  return out;
}

Result<std::unique_ptr<AddressStore>> AddressStore::Open(sql::Connection& db) {
  Status s = db.Write([](sql::Tx& tx) {
    if (Status e = tx.Exec("CREATE TABLE IF NOT EXISTS echo_addresses (key TEXT NOT NULL, street TEXT NOT NULL, "
                           "number TEXT NOT NULL, postcode TEXT NOT NULL, place TEXT NOT NULL, "
                           "lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL)");
        !e.ok()) {
      return e;
    }
    return tx.Exec("CREATE INDEX IF NOT EXISTS echo_addresses_key ON echo_addresses (key)");
  });
  if (!s.ok()) return s;
  return std::make_unique<AddressStore>(db);
}

Status AddressStore::Replace(const std::vector<Address>& addresses) {
  return db_.Write([&](sql::Tx& tx) -> Status {
    if (auto cleared = tx.Change("DELETE FROM echo_addresses"); !cleared.ok()) return cleared.status();
    for (const Address& a : addresses) {
      auto added = tx.Change("INSERT INTO echo_addresses (key, street, number, postcode, place, lat, lon) "
                             "VALUES ($1,$2,$3,$4,$5,$6,$7)",
                             {AddressKey(a.street + a.number), a.street, a.number, a.postcode, a.place, a.lat, a.lon});
      if (!added.ok()) return added.status();
    }
    return Status::Ok();
  });
}

Result<std::vector<Address>> AddressStore::Search(std::string_view query, int64_t limit) {
  const std::string key = AddressKey(query);
  if (key.size() < 3) return std::vector<Address>();
  // A prefix compared character by character (a range would follow PostgreSQL's collation):
  // a scan of the keys, some milliseconds for a city's 100,000 houses.
  auto rows = sql::ReadQuery(db_,
                             std::string("SELECT ") + kColumns +
                                 " FROM echo_addresses WHERE substr(key, 1, $1) = $2 ORDER BY key LIMIT $3",
                             {CodePoints(key), key, limit});
  if (!rows.ok()) return rows.status();
  std::vector<Address> out;
  for (const sql::Row& r : *rows) out.push_back(AddressOf(r));
  return out;
}

Result<std::vector<Address>> AddressStore::Exact(std::string_view query) {
  auto rows = sql::ReadQuery(db_, std::string("SELECT ") + kColumns + " FROM echo_addresses WHERE key = $1 LIMIT 2",
                             {AddressKey(query)});
  if (!rows.ok()) return rows.status();
  std::vector<Address> out;
  for (const sql::Row& r : *rows) out.push_back(AddressOf(r));
  return out;
}

}  // namespace datenwerk::echo
