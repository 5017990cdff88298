#include "echo/services.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/utf8.h"

namespace datenwerk::echo {

namespace {

constexpr size_t kMaxCategories = 500;
constexpr size_t kMaxOffices = 500;
constexpr size_t kMaxAttributesPerCategory = 20;
constexpr size_t kMaxValuesPerAttribute = 100;

Status At(const std::string& file, int line, const std::string& message) {
  return InvalidArgument(message, file + ":" + std::to_string(line));
}

// The table with the columns it must have, each row's cells by name.
Result<CsvTable> Table(const std::string& text, const std::string& file, std::initializer_list<const char*> columns) {
  if (!IsUtf8(text)) return InvalidArgument("is not UTF-8", file);
  auto table = ParseCsv(text, file, ';');
  if (!table.ok()) return table.status();
  for (const char* c : columns) {
    if (table->Column(c) < 0) return InvalidArgument(std::string("has no column '") + c + "'", file);
  }
  return table;
}

std::string Cell(const CsvTable& t, const CsvRow& row, const char* column) {
  const int i = t.Column(column);
  std::string s = row.cells[static_cast<size_t>(i)];
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  return s;
}

bool IsCode(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::vector<std::string> SplitTrimmed(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) {
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<std::shared_ptr<const Services>> Services::Parse(const std::string& offices_csv, const std::string& categories_csv,
                                                        const std::string& attributes_csv,
                                                        const std::string& routing_csv) {
  auto services = std::make_shared<Services>();
  auto category_named = [&](const std::string& code) -> Category* {
    for (Category& c : services->categories_) {
      if (c.code == code) return &c;
    }
    return nullptr;
  };
  auto offices = Table(offices_csv, "stellen.csv", {"stelle", "name", "email"});
  if (!offices.ok()) return offices.status();
  for (const CsvRow& row : offices->rows) {
    Office o{Cell(*offices, row, "stelle"), Cell(*offices, row, "name"), Cell(*offices, row, "email")};
    if (!IsCode(o.id)) return At("stellen.csv", row.line, "stelle must be a code of letters, digits, - and _");
    if (o.name.empty() || o.name.size() > 200) return At("stellen.csv", row.line, "name must be 1 to 200 bytes");
    if (services->FindOffice(o.id)) return At("stellen.csv", row.line, "stelle " + o.id + " appears twice");
    if (services->offices_.size() == kMaxOffices) return At("stellen.csv", row.line, "more than 500 offices");
    services->offices_.push_back(std::move(o));
  }

  auto categories = Table(categories_csv, "kategorien.csv",
                          {"code", "name", "gruppe", "art", "stelle", "beschreibung", "schlagwoerter"});
  if (!categories.ok()) return categories.status();
  for (const CsvRow& row : categories->rows) {
    Category c;
    c.code = Cell(*categories, row, "code");
    c.name = Cell(*categories, row, "name");
    c.group = Cell(*categories, row, "gruppe");
    c.office = Cell(*categories, row, "stelle");
    c.description = Cell(*categories, row, "beschreibung");
    c.keywords = SplitTrimmed(Cell(*categories, row, "schlagwoerter"), ',');
    const std::string kind = Cell(*categories, row, "art");
    if (!IsCode(c.code)) return At("kategorien.csv", row.line, "code must be letters, digits, - and _");
    if (services->FindCategory(c.code)) return At("kategorien.csv", row.line, "code " + c.code + " appears twice");
    if (c.name.empty() || c.name.size() > 200) return At("kategorien.csv", row.line, "name must be 1 to 200 bytes");
    if (kind != "mangel" && kind != "anregung") return At("kategorien.csv", row.line, "art must be mangel or anregung");
    c.kind = kind == "mangel" ? Kind::kDefect : Kind::kIdea;
    if (!services->FindOffice(c.office)) return At("kategorien.csv", row.line, "unknown stelle " + c.office);
    if (services->categories_.size() == kMaxCategories) return At("kategorien.csv", row.line, "more than 500 categories");
    services->categories_.push_back(std::move(c));
  }
  if (services->categories_.empty()) return InvalidArgument("names no category", "kategorien.csv");

  if (!attributes_csv.empty()) {
    auto attributes = Table(attributes_csv, "merkmale.csv",
                            {"kategorie", "code", "datentyp", "pflicht", "reihenfolge", "beschreibung", "werte"});
    if (!attributes.ok()) return attributes.status();
    static const std::set<std::string> kTypes = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"};
    for (const CsvRow& row : attributes->rows) {
      Category* category = category_named(Cell(*attributes, row, "kategorie"));
      if (!category) return At("merkmale.csv", row.line, "unknown kategorie");
      Attribute a;
      a.code = Cell(*attributes, row, "code");
      a.datatype = Cell(*attributes, row, "datentyp");
      a.description = Cell(*attributes, row, "beschreibung");
      const std::string required = Cell(*attributes, row, "pflicht");
      const std::string order = Cell(*attributes, row, "reihenfolge");
      if (!IsCode(a.code)) return At("merkmale.csv", row.line, "code must be letters, digits, - and _");
      if (!kTypes.count(a.datatype)) return At("merkmale.csv", row.line, "unknown datentyp " + a.datatype);
      if (required != "ja" && required != "nein") return At("merkmale.csv", row.line, "pflicht must be ja or nein");
      a.required = required == "ja";
      auto [p, ec] = std::from_chars(order.data(), order.data() + order.size(), a.order);
      if (ec != std::errc() || p != order.data() + order.size() || a.order < 1 || a.order > 1000) {
        return At("merkmale.csv", row.line, "reihenfolge must be a number from 1 to 1000");
      }
      for (const std::string& pair : SplitTrimmed(Cell(*attributes, row, "werte"), '|')) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
          return At("merkmale.csv", row.line, "werte must be key=Name|key=Name");
        }
        if (a.values.size() == kMaxValuesPerAttribute) return At("merkmale.csv", row.line, "more than 100 werte");
        a.values.push_back({pair.substr(0, eq), pair.substr(eq + 1)});
      }
      const bool list = a.datatype == "singlevaluelist" || a.datatype == "multivaluelist";
      if (list == a.values.empty()) {
        return At("merkmale.csv", row.line, list ? "a list needs werte" : "only lists have werte");
      }
      for (const Attribute& other : category->attributes) {
        if (other.code == a.code || other.order == a.order) {
          return At("merkmale.csv", row.line, "code and reihenfolge must be unique in the kategorie");
        }
      }
      if (category->attributes.size() == kMaxAttributesPerCategory) return At("merkmale.csv", row.line, "more than 20 merkmale");
      category->attributes.push_back(std::move(a));
    }
    for (Category& c : services->categories_) {
      std::sort(c.attributes.begin(), c.attributes.end(), [](const Attribute& x, const Attribute& y) { return x.order < y.order; });
    }
  }

  if (!routing_csv.empty()) {
    auto routing = Table(routing_csv, "zustaendigkeiten.csv", {"kategorie", "stadtbezirk", "stelle"});
    if (!routing.ok()) return routing.status();
    for (const CsvRow& row : routing->rows) {
      Category* category = category_named(Cell(*routing, row, "kategorie"));
      if (!category) return At("zustaendigkeiten.csv", row.line, "unknown kategorie");
      const std::string district = Cell(*routing, row, "stadtbezirk"), office = Cell(*routing, row, "stelle");
      if (district.empty()) return At("zustaendigkeiten.csv", row.line, "stadtbezirk is empty");
      if (!services->FindOffice(office)) return At("zustaendigkeiten.csv", row.line, "unknown stelle " + office);
      if (!category->office_by_district.emplace(district, office).second) {
        return At("zustaendigkeiten.csv", row.line, "kategorie and stadtbezirk appear twice");
      }
    }
  }
  return std::shared_ptr<const Services>(std::move(services));
}

Result<std::shared_ptr<const Services>> Services::Load(const std::string& folder) {
  const auto offices = ReadText(folder + "/stellen.csv");
  const auto categories = ReadText(folder + "/kategorien.csv");
  if (!offices || !categories) return NotFound("needs stellen.csv and kategorien.csv", folder);
  return Parse(*offices, *categories, ReadText(folder + "/merkmale.csv").value_or(""),
               ReadText(folder + "/zustaendigkeiten.csv").value_or(""));
}

const Category* Services::FindCategory(std::string_view code) const {
  for (const Category& c : categories_) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const Office* Services::FindOffice(std::string_view id) const {
  for (const Office& o : offices_) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

}  // namespace datenwerk::echo
