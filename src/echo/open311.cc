#include "echo/open311.h"

#include <algorithm>

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "core/dates.h"
#include "core/json_text.h"
#include "core/url.h"
#include "core/utf8.h"

namespace datenwerk::echo {

namespace json = boost::json;

namespace {

constexpr size_t kMaxFormFields = 200;
constexpr const char* kXmlHead = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
constexpr const char* kXmlType = "text/xml; charset=utf-8";
constexpr const char* kJsonType = "application/json; charset=utf-8";

// Text as XML character data; characters XML 1.0 cannot carry are left out.
std::string Xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

// <name>text</name>, or <name/> when empty.
std::string Element(std::string_view name, std::string_view text) {
  if (text.empty()) return "<" + std::string(name) + "/>";
  return "<" + std::string(name) + ">" + Xml(text) + "</" + std::string(name) + ">";
}

std::string Number(double v) { return JsonNumberText(v); }

std::string Keywords(const std::vector<std::string>& keywords) {
  std::string out;
  for (const std::string& k : keywords) out += (out.empty() ? "" : ", ") + k;
  return out;
}

Rendered AsJson(const json::value& v, int status = 200) { return {status, kJsonType, ToJsonText(v)}; }
Rendered AsXml(std::string body, int status = 200) { return {status, kXmlType, kXmlHead + body + "\n"}; }

const char* OpenOrClosed(ReportStatus s) { return IsOpen(s) ? "open" : "closed"; }

}  // namespace

std::optional<std::pair<std::string, Format>> SplitFormat(std::string_view segment) {
  for (const auto& [ext, format] : {std::pair{std::string_view(".json"), Format::kJson}, {".xml", Format::kXml}}) {
    if (segment.size() > ext.size() && segment.ends_with(ext)) {
      return std::pair{std::string(segment.substr(0, segment.size() - ext.size())), format};
    }
  }
  return std::nullopt;
}

std::string W3cDateTime(int64_t ms) {
  std::string text = FormatRfc3339Ms(ms - ((ms % 1000) + 1000) % 1000);  // "…:05.000Z"
  return text.substr(0, 19) + "Z";
}

Rendered DiscoveryAnswer(Format format, const Discovery& d) {
  if (format == Format::kJson) {
    return AsJson(json::object{
        {"changeset", d.changeset},
        {"contact", d.contact},
        {"key_service", "API-Schlüssel vergibt die Verwaltung der Stadt (datenwerk apikey create)."},
        {"endpoints", json::array{json::object{{"specification", "http://wiki.open311.org/GeoReport_v2"},
                                               {"url", d.endpoint_url},
                                               {"changeset", d.changeset},
                                               {"type", "production"},
                                               {"formats", json::array{"text/xml", "application/json"}}}}}});
  }
  return AsXml("<discovery>" + Element("changeset", d.changeset) + Element("contact", d.contact) +
               Element("key_service", "API-Schlüssel vergibt die Verwaltung der Stadt (datenwerk apikey create).") +
               "<endpoints><endpoint>" + Element("specification", "http://wiki.open311.org/GeoReport_v2") +
               Element("url", d.endpoint_url) + Element("changeset", d.changeset) + Element("type", "production") +
               "<formats><format>text/xml</format><format>application/json</format></formats></endpoint></endpoints>"
               "</discovery>");
}

Rendered ServiceList(Format format, const Services& services) {
  if (format == Format::kJson) {
    json::array list;
    for (const Category& c : services.Categories()) {
      list.push_back(json::object{{"service_code", c.code},
                                  {"service_name", c.name},
                                  {"description", c.description},
                                  {"metadata", !c.attributes.empty()},
                                  {"type", "realtime"},
                                  {"keywords", Keywords(c.keywords)},
                                  {"group", c.group}});
    }
    return AsJson(list);
  }
  std::string body = "<services>";
  for (const Category& c : services.Categories()) {
    body += "<service>" + Element("service_code", c.code) + Element("service_name", c.name) +
            Element("description", c.description) + Element("metadata", c.attributes.empty() ? "false" : "true") +
            Element("type", "realtime") + Element("keywords", Keywords(c.keywords)) + Element("group", c.group) +
            "</service>";
  }
  return AsXml(body + "</services>");
}

Rendered ServiceDefinition(Format format, const Category& c) {
  if (format == Format::kJson) {
    json::array attributes;
    for (const Attribute& a : c.attributes) {
      json::array values;
      for (const AttributeValue& v : a.values) values.push_back(json::object{{"key", v.key}, {"name", v.name}});
      attributes.push_back(json::object{{"variable", true},
                                        {"code", a.code},
                                        {"datatype", a.datatype},
                                        {"required", a.required},
                                        {"datatype_description", nullptr},
                                        {"order", a.order},
                                        {"description", a.description},
                                        {"values", std::move(values)}});
    }
    return AsJson(json::object{{"service_code", c.code}, {"attributes", std::move(attributes)}});
  }
  std::string body = "<service_definition>" + Element("service_code", c.code) + "<attributes>";
  for (const Attribute& a : c.attributes) {
    body += "<attribute>" + Element("variable", "true") + Element("code", a.code) + Element("datatype", a.datatype) +
            Element("required", a.required ? "true" : "false") + Element("datatype_description", "") +
            Element("order", std::to_string(a.order)) + Element("description", a.description) + "<values>";
    for (const AttributeValue& v : a.values) body += "<value>" + Element("key", v.key) + Element("name", v.name) + "</value>";
    body += "</values></attribute>";
  }
  return AsXml(body + "</attributes></service_definition>");
}

Rendered RequestList(Format format, const std::vector<Report>& reports, const Services& services,
                     const RequestsOptions& options) {
  json::array list;
  std::string body = "<service_requests>";
  for (const Report& r : reports) {
    const Category* category = services.FindCategory(r.service_code);
    const Office* office = services.FindOffice(r.office);
    const std::string description = r.text_hidden ? "" : r.description;
    const std::string service_name = category ? category->name : r.service_code;
    const std::string agency = office ? office->name : "";
    if (format == Format::kJson) {
      json::object o{{"service_request_id", std::to_string(r.id)},
                     {"status", OpenOrClosed(r.status)},
                     {"status_notes", r.status_note.empty() ? json::value(nullptr) : json::value(r.status_note)},
                     {"service_name", service_name},
                     {"service_code", r.service_code},
                     {"description", description},
                     {"agency_responsible", agency},
                     {"service_notice", nullptr},
                     {"requested_datetime", W3cDateTime(r.requested_ms)},
                     {"updated_datetime", W3cDateTime(r.updated_ms)},
                     {"address", r.address}};
      if (const std::vector<int> photos = VisiblePhotos(r); !photos.empty()) {
        o["media_url"] = options.base_url + PhotoPath(r.id, photos.front(), false);
      }
      if (r.lat) {
        o["lat"] = *r.lat;
        o["long"] = *r.lon;
      }
      if (options.extensions) {
        o["extended_attributes"] = json::object{{"status", ExtendedStatus(r.status)},
                                                {"datenwerk_status", StatusCode(r.status)},
                                                {"datenwerk_status_label", StatusLabel(r.status)},
                                                {"district", r.district}};
      }
      list.push_back(std::move(o));
      continue;
    }
    body += "<request>" + Element("service_request_id", std::to_string(r.id)) +
            Element("status", OpenOrClosed(r.status)) + Element("status_notes", r.status_note) +
            Element("service_name", service_name) + Element("service_code", r.service_code) +
            Element("description", description) + Element("agency_responsible", agency) +
            Element("service_notice", "") + Element("requested_datetime", W3cDateTime(r.requested_ms)) +
            Element("updated_datetime", W3cDateTime(r.updated_ms)) + Element("address", r.address);
    if (const std::vector<int> photos = VisiblePhotos(r); !photos.empty()) {
      body += Element("media_url", options.base_url + PhotoPath(r.id, photos.front(), false));
    }
    if (r.lat) body += Element("lat", Number(*r.lat)) + Element("long", Number(*r.lon));
    if (options.extensions) {
      body += "<extended_attributes>" + Element("status", ExtendedStatus(r.status)) +
              Element("datenwerk_status", StatusCode(r.status)) +
              Element("datenwerk_status_label", StatusLabel(r.status)) + Element("district", r.district) +
              "</extended_attributes>";
    }
    body += "</request>";
  }
  if (format == Format::kJson) return AsJson(list);
  return AsXml(body + "</service_requests>");
}

Rendered UpdateList(Format format, const std::vector<ReportEvent>& updates) {
  if (format == Format::kJson) {
    json::array list;
    for (const ReportEvent& e : updates) {
      list.push_back(json::object{{"update_id", std::to_string(e.id)},
                                  {"service_request_id", std::to_string(e.report_id)},
                                  {"status", ExtendedStatus(e.status)},
                                  {"updated_datetime", W3cDateTime(e.at_ms)},
                                  {"description", e.note},
                                  {"media_url", ""}});
    }
    return AsJson(list);
  }
  std::string body = "<service_request_updates>";
  for (const ReportEvent& e : updates) {
    body += "<request_update>" + Element("update_id", std::to_string(e.id)) +
            Element("service_request_id", std::to_string(e.report_id)) + Element("status", ExtendedStatus(e.status)) +
            Element("updated_datetime", W3cDateTime(e.at_ms)) + Element("description", e.note) +
            Element("media_url", "") + "</request_update>";
  }
  return AsXml(body + "</service_request_updates>");
}

Rendered CreatedAnswer(Format format, const Report& r, const std::string& notice) {
  if (format == Format::kJson) {
    return AsJson(json::array{json::object{{"service_request_id", std::to_string(r.id)},
                                           {"service_notice", notice},
                                           {"account_id", nullptr}}});
  }
  return AsXml("<service_requests><request>" + Element("service_request_id", std::to_string(r.id)) +
               Element("service_notice", notice) + Element("account_id", "") + "</request></service_requests>");
}

Rendered UpdateCreatedAnswer(Format format, int64_t update_id) {
  if (format == Format::kJson) return AsJson(json::array{json::object{{"update_id", std::to_string(update_id)}}});
  return AsXml("<service_request_updates><request_update>" + Element("update_id", std::to_string(update_id)) +
               "</request_update></service_request_updates>");
}

Result<PostedUpdate> UpdateFromForm(const std::vector<std::pair<std::string, std::string>>& fields) {
  static const char* kDropped[] = {"api_key", "jurisdiction_id", "email", "first_name", "last_name", "title", "phone",
                                   "account_id", "public_anonymity_required", "email_alerts_requested",
                                   "service_request_id_ext", "media_url"};
  PostedUpdate out;
  std::string id, status;
  bool has_description = false;
  for (const auto& field : fields) {
    const std::string& name = field.first;  // plain names: clang 14 refuses lambdas capturing bindings
    const std::string& value = field.second;
    if (name == "service_request_id") id = value;
    else if (name == "description") {
      out.update.note = value;
      has_description = true;
    } else if (name == "status") status = value;
    else if (name == "update_id_ext") out.update.external_id = value;
    else if (name == "updated_datetime") {
      if (!value.empty() && !ParseRfc3339Ms(value)) {
        return InvalidArgument("must be a W3C date-time with zone, e.g. 2026-01-01T00:00:00Z", "updated_datetime");
      }
    } else if (std::none_of(std::begin(kDropped), std::end(kDropped), [&](const char* k) { return name == k; })) {
      return InvalidArgument("is not a field of servicerequestupdates", name.substr(0, 60));
    }
  }
  int64_t v = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  if (id.empty() || ec != std::errc() || p != id.data() + id.size() || v < 1) {
    return InvalidArgument("must be the id of a service request", "service_request_id");
  }
  out.service_request_id = v;
  if (!has_description || out.update.note.empty()) return InvalidArgument("is required", "description");
  static const char* kStatuses[] = {"OPEN", "CLOSED", "FIXED", "IN_PROGRESS", "ACTION_SCHEDULED", "INVESTIGATING",
                                    "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "INTERNAL_REFERRAL"};
  if (!status.empty() && std::none_of(std::begin(kStatuses), std::end(kStatuses), [&](const char* k) { return status == k; })) {
    return InvalidArgument("must be OPEN, CLOSED or one of mySociety's extended states", "status");
  }
  out.update.still_open = status == "OPEN";
  return out;
}

Rendered TokenAnswer(Format format, const Report& r) {
  if (format == Format::kJson) {
    return AsJson(json::array{json::object{{"service_request_id", std::to_string(r.id)}, {"token", r.token}}});
  }
  return AsXml("<service_requests><request>" + Element("service_request_id", std::to_string(r.id)) +
               Element("token", r.token) + "</request></service_requests>");
}

Rendered ErrorAnswer(Format format, int code, const std::string& description) {
  if (format == Format::kJson) {
    return AsJson(json::array{json::object{{"code", code}, {"description", description}}}, code);
  }
  return AsXml("<errors><error>" + Element("code", std::to_string(code)) + Element("description", description) +
                   "</error></errors>",
               code);
}

Rendered ErrorAnswer(Format format, const datenwerk::Status& status) {
  int code = 400;
  if (status.code() == ErrorCode::kNotFound) code = 404;
  if (status.code() == ErrorCode::kUnauthenticated || status.code() == ErrorCode::kPermissionDenied) code = 403;
  if (status.code() == ErrorCode::kUnavailable) code = 503;
  if (status.code() == ErrorCode::kTooLarge) code = 413;
  if (status.code() == ErrorCode::kInternal || status.code() == ErrorCode::kStorageFull) code = 500;
  std::string description = status.message();
  if (!status.field().empty()) description = status.field() + ": " + description;
  if (code == 500) description = "internal error; the server logged the details";
  return ErrorAnswer(format, code, description);
}

Result<std::vector<std::pair<std::string, std::string>>> ParseFormFields(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t at = 0;
  while (at <= body.size()) {
    const size_t end = std::min(body.find('&', at), body.size());
    const std::string_view part = body.substr(at, end - at);
    at = end + 1;
    if (part.empty()) {
      if (end == body.size()) break;
      continue;
    }
    if (out.size() == kMaxFormFields) return InvalidArgument("has more than 200 fields", "body");
    const size_t eq = part.find('=');
    bool ok_name = true, ok_value = true;
    std::string name = PercentDecode(part.substr(0, eq), true, &ok_name);
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1), true, &ok_value);
    if (!ok_name || !ok_value) return InvalidArgument("has a malformed %-escape", "body");
    if (!IsUtf8(name) || !IsUtf8(value)) return InvalidArgument("must be UTF-8", name.empty() || !IsUtf8(name) ? "body" : name);
    if (name.size() > 100) return InvalidArgument("has a field name longer than 100 bytes", "body");
    out.emplace_back(std::move(name), std::move(value));
    if (end == body.size()) break;
  }
  return out;
}

Result<NewReport> NewReportFromForm(const std::vector<std::pair<std::string, std::string>>& fields) {
  NewReport r;
  std::string lat, lon, first, last;
  for (const auto& [name, value] : fields) {
    if (name == "service_code") r.service_code = value;
    else if (name == "description") r.description = value;
    else if (name == "lat") lat = value;
    else if (name == "long") lon = value;
    else if (name == "address_string") r.address = value;
    else if (name == "email") r.email = value;
    else if (name == "first_name") first = value;
    else if (name == "last_name") last = value;
    else if (name.starts_with("attribute[")) {
      // attribute[code]=v or attribute[code][]=v
      const size_t close = name.find(']');
      if (close == std::string::npos || close == 10) return InvalidArgument("must be attribute[code]", name.substr(0, 80));
      const std::string rest = name.substr(close + 1);
      if (!rest.empty() && rest != "[]") return InvalidArgument("must be attribute[code] or attribute[code][]", name.substr(0, 80));
      auto& values = r.attributes[name.substr(10, close - 10)];
      if (values.size() >= 100) return InvalidArgument("has too many values", name.substr(0, 80));
      values.push_back(value);
    }
    // api_key, jurisdiction_id: read by the route; phone, device_id, account_id, media_url: not kept.
  }
  if (r.service_code.empty()) return InvalidArgument("is required", "service_code");
  for (const auto& [text, out, field] : {std::tuple{&lat, &r.lat, "lat"}, {&lon, &r.lon, "long"}}) {
    if (text->empty()) continue;
    double v = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || p != text->data() + text->size() || !std::isfinite(v)) {
      return InvalidArgument("must be a decimal number (WGS 84)", field);
    }
    *out = v;
  }
  r.name = first.empty() ? last : last.empty() ? first : first + " " + last;
  return r;
}

}  // namespace datenwerk::echo
