// What citizens can report and who handles it: the offices (Fachämter and city companies), the
// categories (Open311 "services") with their extra questions (Open311 "attributes"), and which
// office handles a category in which district. Read from four CSV files the city edits
// (semicolon-separated, UTF-8; data/bochum/buergerecho/ is an example):
//
//   stellen.csv          stelle;name;email
//   kategorien.csv       code;name;gruppe;art;stelle;beschreibung;schlagwoerter   (art: mangel|anregung)
//   merkmale.csv         kategorie;code;datentyp;pflicht;reihenfolge;beschreibung;werte
//                        (datentyp: string|number|datetime|text|singlevaluelist|multivaluelist;
//                         werte: key=Name|key=Name for the lists)
//   zustaendigkeiten.csv kategorie;stadtbezirk;stelle   (the district's name in the districts file)
//
// Parsing is pure; the result is immutable and shared between threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace datenwerk::echo {

struct Office {
  std::string id;    // "tiefbau"
  std::string name;  // "Tiefbauamt"
  std::string email;
};

struct AttributeValue {
  std::string key, name;
};

struct Attribute {
  std::string code;
  std::string datatype;  // Open311: string, number, datetime, text, singlevaluelist, multivaluelist
  bool required = false;
  int order = 1;
  std::string description;
  std::vector<AttributeValue> values;
};

enum class Kind { kDefect, kIdea };  // Mangel (KPI K2.4) or Anregung (K2.1)

struct Category {
  std::string code;  // Open311 service_code
  std::string name;
  std::string group;
  Kind kind = Kind::kDefect;
  std::string office;  // default office id
  std::string description;
  std::vector<std::string> keywords;
  std::vector<Attribute> attributes;  // in their order
  std::map<std::string, std::string> office_by_district;  // district name -> office id
};

class Services {
 public:
  // The four files' text (zustaendigkeiten and merkmale may be empty). kInvalidArgument naming
  // "<file>:<line>" for anything wrong: unknown office, duplicate code, bad datatype, …
  static Result<std::shared_ptr<const Services>> Parse(const std::string& offices_csv, const std::string& categories_csv,
                                                       const std::string& attributes_csv,
                                                       const std::string& routing_csv);
  // The files in `folder`; kNotFound when stellen.csv or kategorien.csv is missing.
  static Result<std::shared_ptr<const Services>> Load(const std::string& folder);

  const std::vector<Category>& Categories() const { return categories_; }
  const Category* FindCategory(std::string_view code) const;
  const Office* FindOffice(std::string_view id) const;
  const std::vector<Office>& Offices() const { return offices_; }

 private:
  std::vector<Office> offices_;
  std::vector<Category> categories_;
};

}  // namespace datenwerk::echo
