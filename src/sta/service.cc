#include "sta/service.h"

#include "core/json_text.h"
#include "sta/entity_order.h"
#include "sta/service_impl.h"

#include <limits>

namespace datenwerk::sta {

namespace json = boost::json;

SensorThingsService::SensorThingsService(std::unique_ptr<EntityStore> store, const Clock& clock)
    : impl_(std::make_shared<Impl>(std::move(store), clock)) {}

std::string SensorThingsService::Impl::SelfLink(const std::string& base, EntityType type,
                                                int64_t id) {
  return base + "/" + std::string(Definition(type).set_name) + "(" + std::to_string(id) + ")";
}

Result<SensorThingsService::Impl::Resolved> SensorThingsService::Impl::Resolve(
    const ResourcePath& path, EntityReader& reader) {
  Resolved out;
  std::optional<Ref> current;
  for (size_t i = 0; i < path.segments.size(); ++i) {
    const PathSegment& seg = path.segments[i];
    const EntityType type = seg.def->type;
    if (!seg.via) {
      if (!seg.id) {
        out.via = nullptr;
        continue;  // a whole entity set
      }
      auto found = reader.Get(type, *seg.id);
      if (!found.ok()) return found.status();
      if (!*found) {
        return NotFound(std::string(seg.def->singular) + " " + std::to_string(*seg.id) +
                            " does not exist",
                        "path");
      }
      current = Ref{type, *seg.id};
      continue;
    }
    if (seg.via->to_many && !seg.id) {
      out.parent = current;
      out.via = seg.via;
      current.reset();
      continue;
    }
    int64_t id = 0;
    if (seg.id) {
      auto linked = reader.IsLinked(current->type, current->id, seg.via->name, *seg.id);
      if (!linked.ok()) return linked.status();
      if (!*linked) {
        return NotFound(std::string(seg.def->singular) + " " + std::to_string(*seg.id) +
                            " is not linked here",
                        "path");
      }
      id = *seg.id;
    } else {
      auto linked = reader.Linked(current->type, current->id, seg.via->name);
      if (!linked.ok()) return linked.status();
      if (linked->empty()) {
        return NotFound("no " + std::string(seg.via->name) + " linked here", "path");
      }
      id = linked->front();
    }
    current = Ref{type, id};
  }
  out.target = current;
  return out;
}

namespace {
thread_local std::optional<std::chrono::steady_clock::time_point> read_deadline;
thread_local unsigned deadline_checks = 0;
}  // namespace

ReadDeadline::ReadDeadline(std::chrono::milliseconds budget) : outer_(read_deadline) {
  const auto mine = std::chrono::steady_clock::now() + budget;
  read_deadline = outer_ ? std::min(*outer_, mine) : mine;  // a $batch read stays in its budget
}
ReadDeadline::~ReadDeadline() { read_deadline = outer_; }

Status CheckReadDeadline() {
  if (!read_deadline || ++deadline_checks % 64 != 0) return Status::Ok();
  if (std::chrono::steady_clock::now() < *read_deadline) return Status::Ok();
  return Status(ErrorCode::kDeadlineExceeded,
                "the query took longer than the server allows; narrow $filter or $expand, or "
                "ask for fewer entities with $top",
                "query");
}

Result<std::vector<json::value>> SensorThingsService::Impl::PathValues(
    EntityType type, const StoredEntity& e, const std::vector<std::string>& path, size_t at) {
  const EntityDef& def = Definition(type);
  const std::string& part = path[at];
  if (const NavigationDef* nav = def.Navigation(part)) {
    std::vector<StoredEntity> children;
    if (nav->to_many) {  // List, not Linked: it sees Observations kept as time series too
      ListRequest request{nav->target, type, e.id, nav->name};
      request.top = kMaxFilterCandidates + 1;
      auto list = store->List(request);
      if (!list.ok()) return list.status();
      if (static_cast<int64_t>(list->entities.size()) > kMaxFilterCandidates) {
        return Status(ErrorCode::kNotImplemented,
                      "$filter across more than " + std::to_string(kMaxFilterCandidates) + " " +
                          std::string(nav->name) + " is not supported",
                      "$filter");
      }
      children = std::move(list->entities);
    } else {
      auto ids = store->Linked(type, e.id, nav->name);
      if (!ids.ok()) return ids.status();
      for (int64_t id : *ids) {
        auto child = store->Get(nav->target, id);
        if (!child.ok()) return child.status();
        if (*child) children.push_back(std::move(**child));
      }
    }
    std::vector<json::value> out;
    for (const StoredEntity& child : children) {
      auto values = PathValues(nav->target, child, path, at + 1);
      if (!values.ok()) return values;
      out.insert(out.end(), values->begin(), values->end());
      if (out.size() > Filter::kMaxValues) {
        return InvalidArgument("the path crosses more than " + std::to_string(Filter::kMaxValues) +
                                   " values; narrow it",
                               "$filter");
      }
      if (auto s = CheckReadDeadline(); !s.ok()) return s;
    }
    return out;
  }
  json::value value = part == "id" || part == "@iot.id" ? json::value(e.id)
                      : e.doc.contains(part)          ? e.doc.at(part)
                                                      : json::value(nullptr);
  for (size_t i = at + 1; i < path.size(); ++i) {
    const json::value* inner = value.is_object() ? value.as_object().if_contains(path[i]) : nullptr;
    value = inner ? *inner : json::value(nullptr);
  }
  return std::vector<json::value>{value};
}

Result<bool> SensorThingsService::Impl::Matches(const Filter& filter, EntityType type,
                                                const StoredEntity& e, int64_t now) {
  return filter.Matches(
      [&](const std::vector<std::string>& path) { return PathValues(type, e, path, 0); }, now);
}

Result<SensorThingsService::Impl::Page> SensorThingsService::Impl::FetchInPropertyOrder(
    int64_t multi, const QueryOptions& options) {
  auto order = PropertyOrder(*store, multi);
  if (!order.ok()) return order.status();
  const int64_t now = ParseRfc3339Ms(clock.NowUtc()).value_or(0);
  std::vector<StoredEntity> matched;
  for (int64_t id : *order) {
    auto e = store->Get(EntityType::kObservedProperty, id);
    if (!e.ok()) return e.status();
    if (!*e) continue;
    if (options.filter) {
      auto match = Matches(*options.filter, EntityType::kObservedProperty, **e, now);
      if (!match.ok()) return match.status();
      if (!*match) continue;
    }
    matched.push_back(std::move(**e));
  }
  Page page;
  const int64_t top = options.EffectiveTop();
  if (options.count) page.total = static_cast<int64_t>(matched.size());
  page.more = static_cast<int64_t>(matched.size()) > options.skip + top;
  page.items = TakePage(matched, options.skip, top);
  return page;
}

Result<SensorThingsService::Impl::Page> SensorThingsService::Impl::Fetch(
    ListRequest request, const QueryOptions& options) {
  if (request.from_type == EntityType::kMultiDatastream && request.via == "ObservedProperties" &&
      request.order.empty()) {
    return FetchInPropertyOrder(request.from_id, options);
  }
  const int64_t top = options.EffectiveTop();
  Page page;
  if (!options.filter) {
    request.skip = options.skip;
    request.top = top + 1;  // one more tells whether there is a next page
    request.count = options.count;
    auto list = store->List(request);
    if (!list.ok()) return list.status();
    page.total = list->total;
    page.items = std::move(list->entities);
    page.more = static_cast<int64_t>(page.items.size()) > top;
    if (page.more) page.items.pop_back();
    return page;
  }
  // $filter is evaluated here, over the addressed set, bounded; a time window the filter implies
  // is left to the store, so a window in a long series is read, not the whole series.
  // When the filter is nothing but that window, an Observation at an instant is tested against
  // the window directly (most of them: time-series points), without evaluating the filter.
  const int64_t now = ParseRfc3339Ms(clock.NowUtc()).value_or(0);
  std::optional<Filter::TimeWindow> exact;
  if (request.type == EntityType::kObservation) {
    if (auto w = options.filter->WindowOf("phenomenonTime", now)) {
      request.window = std::make_pair(w->from_ms, w->to_ms);
    }
    exact = options.filter->ExactWindowOf("phenomenonTime", now);
    // Observations of one Datastream, or of one Thing's, across the whole set: only their
    // series are read, not every Datastream's.
    if (!request.from_type) {
      if (auto ds = options.filter->IntegerEqualityOf({"Datastream", "id"})) {
        request.datastreams = std::vector<int64_t>{*ds};
      } else if (auto thing = options.filter->IntegerEqualityOf({"Datastream", "Thing", "id"})) {
        auto streams = store->Linked(EntityType::kThing, *thing, "Datastreams");
        if (!streams.ok()) return streams.status();
        request.datastreams = std::move(streams).value();
      }
    }
  }
  const auto matches = [&](const StoredEntity& e) -> Result<bool> {
    if (exact) {
      const json::value* time = e.doc.if_contains("phenomenonTime");
      if (time && time->is_string() && time->as_string().find('/') == json::string::npos) {
        auto instant = ParseRfc3339Ms(time->as_string());
        if (instant) return *instant >= exact->from_ms && *instant < exact->to_ms;
      }
    }
    return Matches(*options.filter, request.type, e, now);
  };
  // The addressed set is read in pages of growing size, in the order asked, and only the
  // matches the answer needs are kept: memory stays bounded however large the set, and a page
  // of the first matches ends the read early unless $count asks for all. The read's time budget
  // bounds a scan of everything.
  const int64_t wanted = options.skip + top + 1;  // one more tells whether there is a next page
  int64_t matched = 0;
  request.count = false;
  request.skip = 0;
  // Under an exact window nearly everything read matches: the first read asks for the answer.
  const int64_t first = exact ? std::clamp(wanted, kFirstFilterPage, kMaxFilterPage)
                              : kFirstFilterPage;
  for (int64_t size = first;; size = std::min(size * 2, kMaxFilterPage)) {
    request.top = size;
    auto list = store->List(request);
    if (!list.ok()) return list.status();
    for (StoredEntity& e : list->entities) {
      if (auto s = CheckReadDeadline(); !s.ok()) return s;
      auto match = matches(e);
      if (!match.ok()) return match.status();
      if (!*match) continue;
      if (matched >= options.skip && matched < options.skip + top) page.items.push_back(std::move(e));
      ++matched;
      if (!options.count && matched >= wanted) break;
    }
    if (static_cast<int64_t>(list->entities.size()) < size) break;  // the set is read
    if (!options.count && matched >= wanted) break;
    request.skip += size;
  }
  if (options.count) page.total = matched;
  page.more = matched > options.skip + top;
  return page;
}

namespace {

std::string EncodeQueryValue(std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '$' || c == '(' ||
        c == ')' || c == ',' || c == '/' || c == '\'') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// "?<the options but $top and $skip>&$top=..&$skip=..": the query of a list's next page.
std::string NextPageQuery(const std::map<std::string, std::string>& options, int64_t top, int64_t skip) {
  std::string query = "?";
  for (const auto& [name, value] : options) {
    if (name == "$skip" || name == "$top") continue;
    query += EncodeQueryValue(name) + "=" + EncodeQueryValue(value) + "&";
  }
  return query + "$top=" + std::to_string(top) + "&$skip=" + std::to_string(skip);
}

}  // namespace

Result<json::object> SensorThingsService::Impl::Render(EntityType type, const StoredEntity& e,
                                                       const QueryOptions& options,
                                                       const std::string& base) {
  const EntityDef& def = Definition(type);
  std::string self;  // made on first use: a $select without links needs none
  const auto self_link = [&]() -> const std::string& {
    if (self.empty()) self = SelfLink(base, type, e.id);
    return self;
  };
  auto selected = [&](std::string_view name) {
    if (options.select.empty()) return true;
    return std::find(options.select.begin(), options.select.end(), name) != options.select.end();
  };
  json::object out;
  if (selected("id") || selected("@iot.id")) out["@iot.id"] = e.id;
  if (options.select.empty()) out["@iot.selfLink"] = self_link();
  for (const PropertyDef& p : def.properties) {
    if (!selected(p.name)) continue;
    const json::value* v = e.doc.if_contains(p.name);
    out[p.name] = v ? *v : json::value(nullptr);
  }
  for (const NavigationDef& nav : def.navigations) {
    const ExpandItem* expand = nullptr;
    for (const ExpandItem& item : options.expand) {
      if (item.navigation == &nav) expand = &item;
    }
    if (!expand) {
      if (options.select.empty() || selected(nav.name)) {
        out[std::string(nav.name) + "@iot.navigationLink"] = self_link() + "/" + std::string(nav.name);
      }
      continue;
    }
    const EntityType target = nav.target;
    if (!nav.to_many) {
      auto ids = store->Linked(type, e.id, nav.name);
      if (!ids.ok()) return ids.status();
      if (ids->empty()) {
        out[nav.name] = nullptr;
        continue;
      }
      auto child = store->Get(target, ids->front());
      if (!child.ok()) return child.status();
      if (!*child) continue;
      auto rendered = Render(target, **child, expand->options, base);
      if (!rendered.ok()) return rendered.status();
      out[nav.name] = std::move(rendered).value();
      continue;
    }
    ListRequest request{target, type, e.id, nav.name, expand->options.orderby};
    auto list = Fetch(request, expand->options);
    if (!list.ok()) return list.status();
    json::array items;
    const bool more = list->more;
    for (const StoredEntity& child : list->items) {
      auto rendered = Render(target, child, expand->options, base);
      if (!rendered.ok()) return rendered.status();
      items.push_back(std::move(rendered).value());
    }
    if (list->total) out[std::string(nav.name) + "@iot.count"] = *list->total;
    out[nav.name] = std::move(items);
    if (more) {  // the next page of the same expansion: its options go with the link
      const int64_t top = expand->options.EffectiveTop();
      out[std::string(nav.name) + "@iot.nextLink"] =
          self_link() + "/" + std::string(nav.name) + NextPageQuery(expand->options.given, top, expand->options.skip + top);
    }
  }
  return out;
}

namespace {

std::string RawValue(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return ToJsonText(v);
}

}  // namespace

Result<ReadResult> SensorThingsService::Read(const ResourcePath& path,
                                             const std::map<std::string, std::string>& query,
                                             const std::string& base) {
  return impl_->Read(path, query, base, /*text=*/false);
}

Result<ReadResult> SensorThingsService::ReadText(const ResourcePath& path,
                                                 const std::map<std::string, std::string>& query,
                                                 const std::string& base) {
  return impl_->Read(path, query, base, /*text=*/true);
}

Status SensorThingsService::Impl::AppendRendered(EntityType type, const StoredEntity& e,
                                                 const QueryOptions& options, const std::string& base,
                                                 std::string& out) {
  if (!options.expand.empty()) {
    auto rendered = Render(type, e, options, base);
    if (!rendered.ok()) return rendered.status();
    AppendJsonText(*rendered, out);
    return Status::Ok();
  }
  // The members Render makes, in its order.
  const EntityDef& def = Definition(type);
  auto selected = [&](std::string_view name) {
    if (options.select.empty()) return true;
    return std::find(options.select.begin(), options.select.end(), name) != options.select.end();
  };
  const bool links = options.select.empty();
  std::string self;  // JSON-escaped once, for the self link and every navigation link
  if (links || std::any_of(def.navigations.begin(), def.navigations.end(),
                           [&](const NavigationDef& nav) { return selected(nav.name); })) {
    AppendJsonEscaped(SelfLink(base, type, e.id), self);
  }
  char separator = '{';
  auto key = [&](std::string_view name) {
    out += separator;
    separator = ',';
    AppendJsonString(name, out);
    out += ':';
  };
  if (selected("id") || selected("@iot.id")) {
    key("@iot.id");
    out += std::to_string(e.id);
  }
  if (links) {
    key("@iot.selfLink");
    out += '"';
    out += self;
    out += '"';
  }
  for (const PropertyDef& p : def.properties) {
    if (!selected(p.name)) continue;
    key(p.name);
    const json::value* v = e.doc.if_contains(p.name);
    if (v) {
      AppendJsonText(*v, out);
    } else {
      out += "null";
    }
  }
  for (const NavigationDef& nav : def.navigations) {
    if (!links && !selected(nav.name)) continue;
    out += separator;
    separator = ',';
    out += '"';
    out += nav.name;  // names of the model: nothing to escape
    out += "@iot.navigationLink\":\"";
    out += self;
    out += '/';
    out += nav.name;
    out += '"';
  }
  if (separator == '{') out += '{';
  out += '}';
  return Status::Ok();
}

Result<ReadResult> SensorThingsService::Impl::Read(const ResourcePath& path,
                                                   const std::map<std::string, std::string>& query,
                                                   const std::string& base, bool text) {
  ReadDeadline deadline(read_budget);
  ReadResult out;
  if (path.segments.empty()) {
    out.json = ServiceDocument(base);
    return out;
  }
  const EntityDef& def = path.Target();
  auto options = ParseQueryOptions(def, query);
  if (!options.ok()) return options.status();
  auto resolved = Resolve(path, *store);
  if (!resolved.ok()) return resolved.status();

  if (path.IsCollection()) {
    const int64_t top = options->EffectiveTop();
    ListRequest request{def.type, std::nullopt, 0, {}, options->orderby};
    if (resolved->parent) {
      request.from_type = resolved->parent->type;
      request.from_id = resolved->parent->id;
      request.via = resolved->via->name;
    }
    auto list = Fetch(request, *options);
    if (!list.ok()) return list.status();
    const bool more = list->more;
    const auto next_link = [&] {
      std::string link = base;
      for (const PathSegment& seg : path.segments) {
        link += "/" + std::string(seg.via ? seg.via->name : seg.def->set_name);
        if (seg.id) link += "(" + std::to_string(*seg.id) + ")";
      }
      if (path.ref) link += "/$ref";
      return link + NextPageQuery(query, top, options->skip + top);
    };
    if (text && !(options->data_array && !path.ref)) {
      // The same members as the document below, written straight to text.
      std::string& body = out.raw;
      body.reserve(list->items.size() * 256 + 64);
      body += '{';
      if (list->total) body += "\"@iot.count\":" + std::to_string(*list->total) + ",";
      body += "\"value\":[";
      for (size_t i = 0; i < list->items.size(); ++i) {
        if (i) body += ',';
        const StoredEntity& e = list->items[i];
        if (path.ref) {
          body += "{\"@iot.selfLink\":";
          AppendJsonString(Impl::SelfLink(base, def.type, e.id), body);
          body += '}';
          continue;
        }
        if (Status s = AppendRendered(def.type, e, *options, base, body); !s.ok()) return s;
      }
      body += ']';
      if (more) {
        body += ",\"@iot.nextLink\":";
        AppendJsonString(next_link(), body);
      }
      body += '}';
      out.kind = ReadResult::Kind::kJsonText;
      return out;
    }
    json::object body;
    if (list->total) body["@iot.count"] = *list->total;
    json::array values;
    if (options->data_array && !path.ref) {
      if (!options->expand.empty()) {
        return InvalidArgument("$expand does not go with $resultFormat=dataArray", "$expand");
      }
      auto rows = DataArray(list->items, *options, base);
      if (!rows.ok()) return rows.status();
      values = std::move(rows).value();
    }
    for (const StoredEntity& e : list->items) {
      if (options->data_array && !path.ref) break;
      if (path.ref) {
        values.push_back(json::object{{"@iot.selfLink", Impl::SelfLink(base, def.type, e.id)}});
        continue;
      }
      auto rendered = Render(def.type, e, *options, base);
      if (!rendered.ok()) return rendered.status();
      values.push_back(std::move(rendered).value());
    }
    body["value"] = std::move(values);
    if (more) body["@iot.nextLink"] = next_link();
    out.json = std::move(body);
    return out;
  }

  const Ref target = *resolved->target;
  auto entity = store->Get(target.type, target.id);
  if (!entity.ok()) return entity.status();
  if (!*entity) return NotFound("the entity does not exist", "path");
  if (path.ref) {
    out.json = json::object{{"@iot.selfLink", Impl::SelfLink(base, target.type, target.id)}};
    return out;
  }
  if (!path.property.empty()) {
    const std::string& name = path.property.front();
    json::value value = name == "id" || name == "@iot.id" ? json::value((*entity)->id)
                        : (*entity)->doc.contains(name)   ? (*entity)->doc.at(name)
                                                          : json::value(nullptr);
    for (size_t i = 1; i < path.property.size(); ++i) {
      const json::value* inner =
          value.is_object() ? value.as_object().if_contains(path.property[i]) : nullptr;
      if (!inner) return NotFound("no property '" + path.property[i] + "' here", "path");
      value = *inner;
    }
    if (value.is_null()) {
      out.kind = ReadResult::Kind::kNoContent;
      return out;
    }
    if (path.value) {
      out.kind = ReadResult::Kind::kRawValue;
      out.raw = RawValue(value);
      return out;
    }
    out.json = json::object{{path.property.back(), value}};
    return out;
  }
  auto rendered = Render(target.type, **entity, *options, base);
  if (!rendered.ok()) return rendered.status();
  out.json = std::move(rendered).value();
  return out;
}

json::value SensorThingsService::ServiceDocument(const std::string& base) {
  json::array sets;
  for (const EntityDef& d : AllDefinitions()) {
    sets.push_back(json::object{{"name", d.set_name}, {"url", base + "/" + std::string(d.set_name)}});
  }
  json::array conformance{
      "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/update-entity-put",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/update-entity-jsonpatch",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/multi-datastream",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/batch-request/batch-request",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation",
      "http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates",
      "https://fraunhoferiosb.github.io/FROST-Server/extensions/JsonBatchRequest.html"};
  return json::object{{"value", std::move(sets)},
                      {"serverSettings", {{"conformance", std::move(conformance)}}}};
}

}  // namespace datenwerk::sta
