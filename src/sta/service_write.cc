// Create (with deep insert), update and delete of SensorThings entities (18-088, section 10).
#include <algorithm>

#include "core/json_input.h"
#include "sta/json_patch.h"
#include "sta/service.h"
#include "sta/service_impl.h"

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

// Validates one property value and returns it normalised (times as UTC with milliseconds).
Result<json::value> CheckProperty(const PropertyDef& p, const json::value& v,
                                  const std::string& where) {
  auto bad = [&](const char* what) { return InvalidArgument(what, Member(where, p.name)); };
  auto time = [&](std::string_view text) -> std::optional<std::string> {
    auto ms = ParseRfc3339Ms(text);
    if (!ms) return std::nullopt;
    return FormatRfc3339Ms(*ms);
  };
  auto interval = [&](std::string_view text) -> std::optional<std::string> {
    size_t slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto a = time(text.substr(0, slash));
    auto b = time(text.substr(slash + 1));
    if (!a || !b || *b < *a) return std::nullopt;
    return *a + "/" + *b;
  };
  if (v.is_null()) {
    if (p.required) return bad("must not be null");
    return v;
  }
  switch (p.kind) {
    case PropertyKind::kString:
      if (!v.is_string()) return bad("must be a string");
      return v;
    case PropertyKind::kObject:
      if (!v.is_object()) return bad("must be a JSON object");
      return v;
    case PropertyKind::kArray:
      if (!v.is_array()) return bad("must be a JSON array");
      return v;
    case PropertyKind::kAny:
      return v;
    case PropertyKind::kInstant: {
      auto t = v.is_string() ? time(v.get_string()) : std::nullopt;
      if (!t) return bad("must be an ISO 8601 time with zone, e.g. 2024-05-01T12:00:00Z");
      return json::value(*t);
    }
    case PropertyKind::kInterval: {
      auto t = v.is_string() ? interval(v.get_string()) : std::nullopt;
      if (!t) return bad("must be an ISO 8601 interval start/end");
      return json::value(*t);
    }
    case PropertyKind::kTime: {
      if (!v.is_string()) return bad("must be an ISO 8601 time or interval");
      std::string_view text = v.get_string();
      auto t = text.find('/') != std::string_view::npos ? interval(text) : time(text);
      if (!t) return bad("must be an ISO 8601 time or interval");
      return json::value(*t);
    }
  }
  return v;
}

// Checks a written property (computed ones are the server's) and stores it normalised in `doc`.
Status SetProperty(const PropertyDef& p, const json::value& v, const std::string& where,
                   json::object& doc) {
  if (p.computed) return InvalidArgument("is computed by the server", Member(where, p.name));
  auto value = CheckProperty(p, v, where);
  if (!value.ok()) return value.status();
  doc[p.name] = std::move(value).value();
  return Status::Ok();
}

}  // namespace

Result<std::optional<Ref>> SensorThingsService::Impl::LinkTarget(WriteContext& c,
                                                                 const EntityDef& child,
                                                                 const json::value& v,
                                                                 const std::string& at) {
  if (!v.is_object()) return InvalidArgument("must be an entity object", at);
  const json::object& o = v.as_object();
  const json::value* id = o.if_contains("@iot.id");
  if (!id) return std::optional<Ref>();  // a new entity
  if (o.size() != 1) return InvalidArgument("a link carries only @iot.id", at);
  auto checked = EntityId(*id, Member(at, "@iot.id"));
  if (!checked.ok()) return checked.status();
  const Ref target{child.type, *checked};
  if (c.known.contains({target.type, target.id})) return std::optional<Ref>(target);
  const bool stream = target.type == EntityType::kDatastream || target.type == EntityType::kMultiDatastream;
  if (stream && feature_hints.Find(target.type, target.id)) {  // used lately: checked when applied
    c.known.insert({target.type, target.id});
    c.w.Require(target.type, target.id, at);
    return std::optional<Ref>(target);
  }
  auto found = c.w.Get(target.type, target.id);
  if (!found.ok()) return found.status();
  if (!*found) {
    return InvalidArgument(std::string(child.singular) + " " + std::to_string(target.id) +
                               " does not exist",
                           at);
  }
  c.known.insert({target.type, target.id});
  c.w.Require(target.type, target.id, at);  // still there when the write is applied
  return std::optional<Ref>(target);
}

Status SensorThingsService::Impl::UnlinkBoth(WriteContext& c, const Ref& from,
                                             const NavigationDef& nav) {
  auto targets = c.w.Linked(from.type, from.id, nav.name);
  if (!targets.ok()) return targets.status();
  const NavigationDef* inverse = Definition(nav.target).Navigation(nav.inverse);
  for (int64_t to : *targets) {
    if (!inverse) break;
    c.w.Unlink(nav.target, to, inverse->name, from.id);
  }
  c.w.Unlink(from.type, from.id, nav.name);
  return Status::Ok();
}

Status SensorThingsService::Impl::LinkBoth(WriteContext& c, const Ref& from,
                                           const NavigationDef& nav, const Ref& to) {
  if (!nav.to_many) {
    if (auto s = UnlinkBoth(c, from, nav); !s.ok()) return s;
  }
  const NavigationDef* inverse = Definition(to.type).Navigation(nav.inverse);
  if (inverse && !inverse->to_many) {  // e.g. a Datastream moving to another Thing
    if (auto s = UnlinkBoth(c, to, *inverse); !s.ok()) return s;
  }
  if (from.type == EntityType::kThing && nav.name == "Locations") c.moved_things.insert(from.id);
  if (from.type == EntityType::kLocation && nav.name == "Things") c.moved_things.insert(to.id);
  c.w.Link(from.type, from.id, nav.name, to.type, to.id);
  if (inverse) c.w.Link(to.type, to.id, inverse->name, from.type, from.id);
  return Status::Ok();
}

Result<Ref> SensorThingsService::Impl::CreateEntity(
    WriteContext& c, const EntityDef& def, const json::object& body,
    std::optional<std::pair<const NavigationDef*, Ref>> implied, const std::string& where) {
  json::object doc;
  std::vector<std::pair<const NavigationDef*, Ref>> links;
  std::vector<std::pair<const NavigationDef*, const json::array*>> children;
  if (implied) links.push_back(*implied);
  for (const auto& member : body) {
    const std::string_view key = member.key();
    if (key == "@iot.id" || key == "id") {
      return InvalidArgument("ids are assigned by the server", Member(where, key));
    }
    if (const PropertyDef* p = def.Property(key)) {
      if (auto s = SetProperty(*p, member.value(), where, doc); !s.ok()) return s;
      continue;
    }
    const NavigationDef* nav = def.Navigation(key);
    if (!nav) {
      return InvalidArgument("'" + std::string(def.singular) + "' has no such property",
                             Member(where, key));
    }
    const EntityDef& child = Definition(nav->target);
    auto one = [&](const json::value& v, const std::string& at) -> Result<Ref> {
      auto existing = LinkTarget(c, child, v, at);
      if (!existing.ok()) return existing.status();
      if (*existing) return **existing;
      return CreateEntity(c, child, v.as_object(), std::nullopt, at);
    };
    if (nav->to_many) {
      // Children need this entity to exist (a new Datastream needs its Thing): later.
      if (!member.value().is_array()) return InvalidArgument("must be an array", Member(where, key));
      children.emplace_back(nav, &member.value().as_array());
    } else {
      auto ref = one(member.value(), Member(where, key));
      if (!ref.ok()) return ref.status();
      links.emplace_back(nav, *ref);
    }
  }
  if (def.type == EntityType::kObservation && !doc.contains("phenomenonTime")) {
    doc["phenomenonTime"] = FormatRfc3339Ms(*ParseRfc3339Ms(clock.NowUtc()));
  }
  if (def.type == EntityType::kObservation && !doc.contains("resultTime")) doc["resultTime"] = nullptr;
  for (const PropertyDef& p : def.properties) {
    if (p.required && !doc.contains(p.name)) return InvalidArgument("is required", Member(where, p.name));
  }
  for (const NavigationDef& nav : def.navigations) {
    const bool present = std::any_of(links.begin(), links.end(),
                                     [&](const auto& l) { return l.first->name == nav.name; });
    if (nav.required && !present) return InvalidArgument("is required", Member(where, nav.name));
  }
  if (def.type == EntityType::kObservation) {
    int64_t datastream = 0, multi = 0, feature = 0;
    for (const auto& [nav, target] : links) {
      if (nav->target == EntityType::kDatastream) datastream = target.id;
      if (nav->target == EntityType::kMultiDatastream) multi = target.id;
      if (nav->target == EntityType::kFeatureOfInterest) feature = target.id;
    }
    if ((datastream == 0) == (multi == 0)) {
      return InvalidArgument("needs exactly one of Datastream and MultiDatastream",
                             Member(where, "Datastream"));
    }
    if (multi) return CreateMultiObservation(c, doc, multi, feature, where);
    return CreateObservation(c, doc, datastream, feature, where);
  }
  auto id = c.w.Insert(def.type, doc);
  if (!id.ok()) return id.status();
  const Ref self{def.type, *id};
  for (const auto& [nav, target] : links) {
    if (auto s = LinkBoth(c, self, *nav, target); !s.ok()) return s;
  }
  // In model order, so a Thing's Locations exist before its Datastreams' Observations need one.
  std::stable_sort(children.begin(), children.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;  // NavigationDefs of one entity sit in one vector, in model order
  });
  json::array property_order;  // a MultiDatastream's ObservedProperties, as the client gave them
  for (const auto& [nav, items] : children) {
    const EntityDef& child = Definition(nav->target);
    const NavigationDef* back = child.Navigation(nav->inverse);
    const bool ordered = def.type == EntityType::kMultiDatastream && nav->name == "ObservedProperties";
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string at = Member(where, nav->name) + "[" + std::to_string(i) + "]";
      const json::value& v = (*items)[i];
      auto existing = LinkTarget(c, child, v, at);
      if (!existing.ok()) return existing.status();
      if (*existing) {
        if (ordered) property_order.push_back((*existing)->id);
        if (auto s = LinkBoth(c, self, *nav, **existing); !s.ok()) return s;
        continue;
      }
      const json::object& o = v.as_object();
      std::optional<std::pair<const NavigationDef*, Ref>> parent;
      if (back) parent = std::make_pair(back, self);
      auto created = CreateEntity(c, child, o, parent, at);
      if (!created.ok()) return created.status();
      if (ordered) property_order.push_back(created->id);
      if (!back) {
        if (auto s = LinkBoth(c, self, *nav, *created); !s.ok()) return s;
      }
    }
  }

  if (def.type == EntityType::kHistoricalLocation) c.manual_histories.push_back(self.id);
  if (def.type == EntityType::kMultiDatastream) {
    doc[kPropertyOrder] = std::move(property_order);
    c.w.Replace(self.type, self.id, doc);
    if (auto s = CheckMultiDatastream(c.w, self.id, where); !s.ok()) return s;
  }
  return self;
}

Status SensorThingsService::Impl::RecordLocationHistory(WriteContext& c) {
  const EntityDef& hdef = Definition(EntityType::kHistoricalLocation);
  // 18-088 10.2.2: a HistoricalLocation created by a client that is newer than every other of
  // its Thing makes its Locations the Thing's current ones.
  for (int64_t h : c.manual_histories) {
    auto history = c.w.Get(EntityType::kHistoricalLocation, h);
    if (!history.ok()) return history.status();
    auto things = c.w.Linked(EntityType::kHistoricalLocation, h, "Thing");
    if (!things.ok()) return things.status();
    if (!*history || things->empty()) continue;
    const json::value* time = (*history)->doc.if_contains("time");
    if (!time || !time->is_string()) continue;
    const auto mine = ParseRfc3339Ms(std::string_view(time->get_string()));
    const Ref thing{EntityType::kThing, things->front()};
    auto others = c.w.Linked(EntityType::kThing, thing.id, "HistoricalLocations");
    if (!others.ok()) return others.status();
    bool newest = mine.has_value();
    for (int64_t other : *others) {
      if (other == h || !newest) continue;
      auto o = c.w.Get(EntityType::kHistoricalLocation, other);
      if (!o.ok()) return o.status();
      const json::value* t = *o ? (*o)->doc.if_contains("time") : nullptr;
      const auto theirs = t && t->is_string() ? ParseRfc3339Ms(std::string_view(t->get_string()))
                                               : std::nullopt;
      if (theirs && *theirs > *mine) newest = false;
    }
    if (!newest) continue;
    auto locations = c.w.Linked(EntityType::kHistoricalLocation, h, "Locations");
    if (!locations.ok()) return locations.status();
    if (auto s = UnlinkBoth(c, thing, *Definition(EntityType::kThing).Navigation("Locations")); !s.ok()) {
      return s;
    }
    for (int64_t loc : *locations) {
      if (auto s = LinkBoth(c, thing, *Definition(EntityType::kThing).Navigation("Locations"),
                            {EntityType::kLocation, loc});
          !s.ok()) {
        return s;
      }
    }
    c.moved_things.erase(thing.id);  // its history is this one
  }
  // 18-088 10.2.1: every change of a Thing's Locations is recorded as a HistoricalLocation.
  for (int64_t id : c.moved_things) {
    const Ref thing{EntityType::kThing, id};
    auto exists = c.w.Get(thing.type, thing.id);
    if (!exists.ok()) return exists.status();
    if (!*exists) continue;
    auto locations = c.w.Linked(thing.type, thing.id, "Locations");
    if (!locations.ok()) return locations.status();
    if (locations->empty()) continue;
    auto hl = c.w.Insert(EntityType::kHistoricalLocation,
                            json::object{{"time", FormatRfc3339Ms(*ParseRfc3339Ms(clock.NowUtc()))}});
    if (!hl.ok()) return hl.status();
    const Ref history{EntityType::kHistoricalLocation, *hl};
    if (auto s = LinkBoth(c, history, *hdef.Navigation("Thing"), thing); !s.ok()) return s;
    for (int64_t loc : *locations) {
      if (auto s = LinkBoth(c, history, *hdef.Navigation("Locations"), {EntityType::kLocation, loc});
          !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

Status SensorThingsService::Impl::Cascade(WriteContext& c, const Ref& ref) {
  // 18-088 10.4: deleting an entity deletes what cannot exist without it.
  static const std::pair<EntityType, std::string_view> kDependents[] = {
      {EntityType::kThing, "Datastreams"},        {EntityType::kThing, "HistoricalLocations"},
      {EntityType::kSensor, "Datastreams"},       {EntityType::kObservedProperty, "Datastreams"},
      {EntityType::kDatastream, "Observations"},  {EntityType::kFeatureOfInterest, "Observations"},
      {EntityType::kThing, "MultiDatastreams"},   {EntityType::kSensor, "MultiDatastreams"},
      {EntityType::kObservedProperty, "MultiDatastreams"},
      {EntityType::kMultiDatastream, "Observations"},
  };
  for (const auto& [type, nav] : kDependents) {
    if (type != ref.type) continue;
    auto ids = c.w.Linked(ref.type, ref.id, nav);
    if (!ids.ok()) return ids.status();
    const EntityType child = Definition(ref.type).Navigation(nav)->target;
    for (int64_t id : *ids) {
      if (auto s = Cascade(c, {child, id}); !s.ok()) return s;
    }
  }
  if (ref.type == EntityType::kLocation) {  // histories that only knew this Location
    auto histories = c.w.Linked(ref.type, ref.id, "HistoricalLocations");
    if (!histories.ok()) return histories.status();
    for (int64_t h : *histories) {
      auto locations = c.w.Linked(EntityType::kHistoricalLocation, h, "Locations");
      if (!locations.ok()) return locations.status();
      if (locations->size() <= 1) c.w.Remove(EntityType::kHistoricalLocation, h);
    }
  }
  c.w.Remove(ref.type, ref.id);
  return Status::Ok();
}

Result<Created> SensorThingsService::Create(const ResourcePath& path, const json::value& body,
                                            const std::string& base, bool render,
                                            ChangeSet* changes) {
  if (!path.IsCollection() || path.ref) {
    return InvalidArgument("POST goes to a collection, e.g. /Things or /Things(1)/Datastreams",
                           "path");
  }
  if (!body.is_object()) return InvalidArgument("must be a JSON object", "body");
  WriteContext own(*impl_->store, impl_->feature_hints.Generation());
  WriteContext& c = changes ? *changes->context_ : own;
  auto resolved = impl_->Resolve(path, c.w);
  if (!resolved.ok()) return resolved.status();
  std::optional<std::pair<const NavigationDef*, Ref>> implied;
  if (resolved->parent) {
    const NavigationDef* back = path.Target().Navigation(resolved->via->inverse);
    if (back) implied = std::make_pair(back, *resolved->parent);
    c.w.Require(resolved->parent->type, resolved->parent->id, "path");
  }
  auto ref = impl_->CreateEntity(c, path.Target(), body.as_object(), implied, "");
  if (!ref.ok()) return ref.status();
  Ref created = *ref;
  EntityReader* reader = &c.w;  // a change set answers from what it staged
  if (!changes) {
    auto results = impl_->Commit(c, base);
    if (!results.ok()) return results.status();
    created.id = Impl::AppliedId(*results, created);
    reader = impl_->store.get();
  }
  if (!render) return Created{Impl::SelfLink(base, created.type, created.id), {}};
  auto entity = reader->Get(created.type, created.id);
  if (!entity.ok()) return entity.status();
  if (!*entity) return NotFound("the entity is gone", "path");
  auto rendered = impl_->Render(created.type, **entity, {}, base);
  if (!rendered.ok()) return rendered.status();
  return Created{Impl::SelfLink(base, created.type, created.id), std::move(rendered).value()};
}

Result<json::object> SensorThingsService::Update(const ResourcePath& path, const json::value& request_body,
                                                 const std::string& base, ChangeSet* changes, UpdateMode mode) {
  if (path.IsCollection() || !path.property.empty() || path.ref || path.segments.empty()) {
    return InvalidArgument("an update goes to one entity, e.g. /Things(1)", "path");
  }
  if (mode != UpdateMode::kJsonPatch && !request_body.is_object()) {
    return InvalidArgument("must be a JSON object", "body");
  }
  WriteContext own(*impl_->store, impl_->feature_hints.Generation());
  WriteContext& c = changes ? *changes->context_ : own;
  auto resolved = impl_->Resolve(path, c.w);
  if (!resolved.ok()) return resolved.status();
  const Ref target = *resolved->target;
  const EntityDef& def = Definition(target.type);
  c.w.Require(target.type, target.id, "path");
  auto current = c.w.Get(target.type, target.id);
  if (!current.ok()) return current.status();
  if (!*current) return NotFound("the entity is gone", "path");
  json::object doc = (*current)->doc;
  const json::value* effective = &request_body;
  json::value patched;
  if (mode == UpdateMode::kJsonPatch) {
    json::object own;  // the properties as a client reads them
    for (const PropertyDef& p : def.properties) {
      const json::value* v = doc.if_contains(p.name);
      if (!p.computed && v && !v->is_null()) own[p.name] = *v;
    }
    auto applied = ApplyJsonPatch(std::move(own), request_body);
    if (!applied.ok()) return applied.status();
    if (!applied->is_object()) return InvalidArgument("the patched entity must be a JSON object", "body");
    patched = std::move(applied).value();
    effective = &patched;
    mode = UpdateMode::kReplace;
  }
  const json::value& body = *effective;
  if (mode == UpdateMode::kReplace) {
    for (const PropertyDef& p : def.properties) {
      if (p.computed || body.as_object().contains(p.name)) continue;
      if (p.required) {
        return InvalidArgument("is required: the body replaces the whole entity", std::string(p.name));
      }
      doc.erase(p.name);
    }
  }
  bool locations_changed = false;
  std::vector<int64_t> touched_multi;  // MultiDatastreams this PATCH links to
  for (const auto& member : body.as_object()) {
    const std::string_view key = member.key();
    if (key == "@iot.id" || key == "id") {
      return InvalidArgument("ids cannot change", std::string(key));
    }
    if (const PropertyDef* p = def.Property(key)) {
      if (auto s = SetProperty(*p, member.value(), "", doc); !s.ok()) return s;
      continue;
    }
    const NavigationDef* nav = def.Navigation(key);
    if (!nav) {
      return InvalidArgument("'" + std::string(def.singular) + "' has no such property",
                             std::string(key));
    }
    std::vector<json::value> items;
    if (nav->to_many) {
      if (!member.value().is_array()) return InvalidArgument("must be an array", std::string(key));
      for (const json::value& v : member.value().as_array()) items.push_back(v);
      if (auto u = impl_->UnlinkBoth(c, target, *nav); !u.ok()) return u;
    } else {
      items.push_back(member.value());
    }
    json::array order;
    for (const json::value& v : items) {
      auto to = impl_->LinkTarget(c, Definition(nav->target), v, std::string(key));
      if (!to.ok()) return to.status();
      if (!*to) {
        return InvalidArgument("PATCH links entities by {\"@iot.id\": n}", std::string(key));
      }
      if (auto l = impl_->LinkBoth(c, target, *nav, **to); !l.ok()) return l;
      order.push_back((*to)->id);
      if (nav->target == EntityType::kMultiDatastream) touched_multi.push_back((*to)->id);
    }
    if (target.type == EntityType::kMultiDatastream && nav->name == "ObservedProperties") {
      doc[kPropertyOrder] = std::move(order);
    }
    locations_changed = locations_changed || (target.type == EntityType::kThing &&
                                              nav->name == "Locations");
  }
  c.w.Replace(target.type, target.id, doc);
  if (target.type == EntityType::kMultiDatastream) {
    if (auto s = Impl::CheckMultiDatastream(c.w, target.id, ""); !s.ok()) return s;
  }
  // A link made from the other side must keep the MultiDatastream's constraints too.
  for (int64_t multi : touched_multi) {
    if (target.type == EntityType::kObservedProperty) {
      if (auto o = impl_->AppendPropertyOrder(c, multi, target.id); !o.ok()) return o;
    }
    if (target.type != EntityType::kObservation) {
      if (auto s = Impl::CheckMultiDatastream(c.w, multi, "MultiDatastreams"); !s.ok()) return s;
    }
  }
  if (target.type == EntityType::kObservation) {  // 18-088 13.2: one of the two, never both
    auto ds = c.w.Linked(target.type, target.id, "Datastream");
    auto multi = c.w.Linked(target.type, target.id, "MultiDatastream");
    if (!ds.ok()) return ds.status();
    if (!multi.ok()) return multi.status();
    if (!ds->empty() && !multi->empty()) {
      return InvalidArgument("an Observation has a Datastream or a MultiDatastream, not both",
                             "MultiDatastream");
    }
  }
  if (locations_changed) c.moved_things.insert(target.id);
  EntityReader* reader = &c.w;
  if (!changes) {
    auto results = impl_->Commit(c, base);
    if (!results.ok()) return results.status();
    reader = impl_->store.get();
  }
  auto entity = reader->Get(target.type, target.id);
  if (!entity.ok()) return entity.status();
  if (!*entity) return NotFound("the entity is gone", "path");
  auto rendered = impl_->Render(target.type, **entity, {}, base);
  if (!rendered.ok()) return rendered;
  if (changes) {
    c.updates.emplace_back(target, body.as_object(), *rendered);
  } else {
    impl_->NotifyUpdate(target, body.as_object(), *rendered);
  }
  return rendered;
}

Status SensorThingsService::Delete(const ResourcePath& path, ChangeSet* changes) {
  if (path.IsCollection() || !path.property.empty() || path.ref || path.segments.empty()) {
    return InvalidArgument("DELETE goes to one entity, e.g. /Things(1)", "path");
  }
  WriteContext own(*impl_->store, impl_->feature_hints.Generation());
  WriteContext& c = changes ? *changes->context_ : own;
  auto resolved = impl_->Resolve(path, c.w);
  if (!resolved.ok()) return resolved.status();
  if (auto s = impl_->Cascade(c, *resolved->target); !s.ok()) return s;
  if (changes) return Status::Ok();
  return impl_->Commit(c, "").status();
}

Result<bool> SensorThingsService::Exists(EntityType type, int64_t id) {
  auto found = impl_->store->Get(type, id);
  if (!found.ok()) return found.status();
  return found->has_value();
}

Result<int64_t> SensorThingsService::DeleteObservations(int64_t datastream, int64_t from_ms,
                                                        int64_t to_ms) {
  if (from_ms >= to_ms) return InvalidArgument("must be later than 'from'", "to");
  auto exists = impl_->store->Get(EntityType::kDatastream, datastream);
  if (!exists.ok()) return exists.status();
  if (!*exists) return NotFound("Datastream " + std::to_string(datastream) + " does not exist", "id");
  WriteContext c(*impl_->store, impl_->feature_hints.Generation());
  c.w.Require(EntityType::kDatastream, datastream, "id");
  const size_t op = c.w.RemoveObservations(datastream, from_ms, to_ms);
  auto results = impl_->Commit(c, "");
  if (!results.ok()) return results.status();
  return (*results)[op].removed;
}

}  // namespace datenwerk::sta
