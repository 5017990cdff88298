#include "alerts/alert_json.h"
#include "api/alerts.h"
#include "api/json_body.h"
#include "api/json_codec.h"
#include "api/listing.h"
#include "api/request_helpers.h"
#include "core/dates.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr size_t kMaxNote = 2'000;
constexpr size_t kMaxStatesShown = 1'000;

Result<int64_t> IdParam(const Request& r) {
  auto id = PositiveId(r.Param("id"));
  if (!id) return InvalidArgument("must be an id (a positive whole number)", "id");
  return *id;
}

json::object StoredRuleJson(const alerts::StoredRule& r) {
  json::object o = alerts::RuleJson(r.rule);
  o["validFrom"] = FormatRfc3339Ms(r.valid_from_ms);
  o["updated"] = FormatRfc3339Ms(r.updated_ms);
  return o;
}

Result<json::value> JsonBody(const Request& r) {
  if (auto s = CheckJsonMediaType(r, false); !s.ok()) return s;
  boost::system::error_code ec;
  json::value body = json::parse(r.body, ec);
  if (ec) return InvalidArgument("is not JSON: " + ec.message(), "body");
  return body;
}

// The optional {"note": "..."} of acknowledge and resolve.
Result<std::string> Note(const Request& r) {
  if (r.body.empty()) return std::string();
  auto body = ParseObject(r.body, {"note"});
  if (!body.ok()) return body.status();
  std::string note;
  if (auto s = ReadString(*body, "note", "", note); !s.ok()) return s;
  if (note.size() > kMaxNote) return InvalidArgument("must be at most 2,000 characters", "note");
  return note;
}

Result<std::optional<int64_t>> OptionalId(const Request& r, const std::string& name) {
  const std::string& text = r.Query(name);
  if (text.empty()) return std::optional<int64_t>();
  auto id = PositiveId(text);
  if (!id) return InvalidArgument("must be an id (a positive whole number)", name);
  return id;
}

Result<alerts::AlertQuery> ParseAlertQuery(const Request& r) {
  if (auto s = CheckQueryParams(r, {"state", "rule", "datastream", "severity", "from", "to"}); !s.ok()) return s;
  alerts::AlertQuery q;
  const std::string& states = r.Query("state");
  for (size_t at = 0; at < states.size();) {
    const size_t comma = std::min(states.find(',', at), states.size());
    std::string s = states.substr(at, comma - at);
    if (s != "pending" && s != "firing" && s != "acknowledged" && s != "resolved" && s != "cancelled") {
      return InvalidArgument("must list pending, firing, acknowledged, resolved or cancelled", "state");
    }
    q.states.push_back(std::move(s));
    at = comma + 1;
  }
  auto rule = OptionalId(r, "rule");
  if (!rule.ok()) return rule.status();
  q.rule_id = *rule;
  auto ds = OptionalId(r, "datastream");
  if (!ds.ok()) return ds.status();
  q.datastream = *ds;
  q.severity = r.Query("severity");
  if (!q.severity.empty() && q.severity != "info" && q.severity != "warnung" && q.severity != "kritisch") {
    return InvalidArgument("must be info, warnung or kritisch", "severity");
  }
  for (const char* name : {"from", "to"}) {
    const std::string& text = r.Query(name);
    if (text.empty()) continue;
    auto ms = ParseRfc3339Ms(text);
    if (!ms) return InvalidArgument("must be an ISO 8601 time with zone", name);
    (std::string_view(name) == "from" ? q.from_ms : q.to_ms) = *ms;
  }
  auto page = ParsePage(r);
  if (!page.ok()) return page.status();
  q.limit = static_cast<int64_t>(page->limit);
  q.offset = static_cast<int64_t>(page->offset);
  return q;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace

void RegisterAlertRoutes(http::Router& router, alerts::AlertEngine& engine, alerts::AlertStore& store,
                         alerts::WebhookSender& sender, CatalogueService& keys) {
  router.Add("GET", "/api/v1/alert-rules", WithKey(keys, Role::kViewer, [&](const Request&) {
    json::array rules;
    for (const auto& r : engine.Rules()) rules.push_back(StoredRuleJson(r));
    return JsonResponse(json::object{{"value", std::move(rules)}});
  }));
  router.Add("POST", "/api/v1/alert-rules", [&](const Request& r) {
    auto key = Authorize(keys, r, Role::kEditor);
    if (!key.ok()) return http::ErrorResponse(key.status());
    auto body = JsonBody(r);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto made = engine.CreateRule(*body, key->label);
    if (!made.ok()) return http::ErrorResponse(made.status());
    return JsonResponse(StoredRuleJson(*made), 201)
        .With("Location", "/api/v1/alert-rules/" + std::to_string(made->rule.id));
  });
  router.Add("GET", "/api/v1/alert-rules/{id}", WithKey(keys, Role::kViewer, [&](const Request& r) {
    auto id = IdParam(r);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto rule = engine.Rule(*id);
    if (!rule) return http::ErrorResponse(NotFound("no alert rule " + std::to_string(*id), "id"));
    json::object o = StoredRuleJson(*rule);
    json::array states;
    for (const auto& [ds, state] : engine.StatesOf(*id)) {
      if (states.size() >= kMaxStatesShown) break;
      json::object s{{"datastream", ds}, {"phase", alerts::PhaseName(state.phase)}, {"lastValue", state.last_value},
                     {"late", state.late}};
      s["lastReading"] = state.last_ms > 0 ? json::value(FormatRfc3339Ms(state.last_ms)) : json::value(nullptr);
      states.push_back(std::move(s));
    }
    o["series"] = std::move(states);
    return JsonResponse(o);
  }));
  router.Add("PUT", "/api/v1/alert-rules/{id}", [&](const Request& r) {
    auto key = Authorize(keys, r, Role::kEditor);
    if (!key.ok()) return http::ErrorResponse(key.status());
    auto id = IdParam(r);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto body = JsonBody(r);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto updated = engine.UpdateRule(*id, *body, key->label);
    if (!updated.ok()) return http::ErrorResponse(updated.status());
    sender.Wake();
    return JsonResponse(StoredRuleJson(*updated));
  });
  router.Add("DELETE", "/api/v1/alert-rules/{id}", [&](const Request& r) {
    auto key = Authorize(keys, r, Role::kEditor);
    if (!key.ok()) return http::ErrorResponse(key.status());
    auto id = IdParam(r);
    if (!id.ok()) return http::ErrorResponse(id.status());
    if (auto s = engine.DeleteRule(*id, key->label); !s.ok()) return http::ErrorResponse(s);
    sender.Wake();
    return NoContent();
  });

  router.Add("GET", "/api/v1/alerts", WithKey(keys, Role::kViewer, [&](const Request& r) {
    auto query = ParseAlertQuery(r);
    if (!query.ok()) return http::ErrorResponse(query.status());
    auto found = store.ListAlerts(*query);
    if (!found.ok()) return http::ErrorResponse(found.status());
    json::array value;
    for (const auto& a : *found) value.push_back(alerts::AlertJson(a));
    return JsonResponse(json::object{{"value", std::move(value)}, {"limit", query->limit}, {"offset", query->offset}});
  }));
  router.Add("GET", "/api/v1/alerts/{id}", WithKey(keys, Role::kViewer, [&](const Request& r) {
    auto id = IdParam(r);
    if (!id.ok()) return http::ErrorResponse(id.status());
    auto alert = store.GetAlert(*id);
    if (!alert.ok()) return http::ErrorResponse(alert.status());
    if (!*alert) return http::ErrorResponse(NotFound("no alert " + std::to_string(*id), "id"));
    auto events = store.Events(*id);
    if (!events.ok()) return http::ErrorResponse(events.status());
    json::object o = alerts::AlertJson(**alert);
    json::array history;
    for (const auto& e : *events) history.push_back(alerts::EventJson(e));
    o["history"] = std::move(history);
    return JsonResponse(o);
  }));
  for (const char* action : {"acknowledge", "resolve"}) {
    const bool acknowledge = std::string_view(action) == "acknowledge";
    router.Add("POST", std::string("/api/v1/alerts/{id}/") + action, [&, acknowledge](const Request& r) {
      auto key = Authorize(keys, r, Role::kEditor);
      if (!key.ok()) return http::ErrorResponse(key.status());
      auto id = IdParam(r);
      if (!id.ok()) return http::ErrorResponse(id.status());
      auto note = Note(r);
      if (!note.ok()) return http::ErrorResponse(note.status());
      auto done = acknowledge ? engine.Acknowledge(*id, key->label, *note) : engine.Resolve(*id, key->label, *note);
      if (!done.ok()) return http::ErrorResponse(done.status());
      sender.Wake();
      return JsonResponse(alerts::AlertJson(*done));
    });
  }

  router.Add("GET", "/api/v1/alert-webhooks", WithKey(keys, Role::kAdministrator, [&](const Request&) {
    auto hooks = store.Webhooks();
    if (!hooks.ok()) return http::ErrorResponse(hooks.status());
    json::array value;
    for (const auto& h : *hooks) value.push_back(json::object{{"id", h.id}, {"url", h.url}, {"label", h.label}});
    auto backlog = store.Backlog();
    return JsonResponse(json::object{{"value", std::move(value)}, {"undelivered", backlog.ok() ? *backlog : -1}});
  }));
  router.Add("POST", "/api/v1/alert-webhooks", WithKey(keys, Role::kAdministrator, [&](const Request& r) {
    auto body = ParseObject(r.body, {"url", "label", "secret"});
    if (!body.ok()) return http::ErrorResponse(body.status());
    alerts::Webhook hook;
    if (auto s = ReadString(*body, "url", "", hook.url, true); !s.ok()) return http::ErrorResponse(s);
    if (auto s = alerts::CheckWebhookUrl(hook.url); !s.ok()) return http::ErrorResponse(s);
    if (auto s = ReadString(*body, "label", "", hook.label); !s.ok()) return http::ErrorResponse(s);
    if (hook.label.size() > 200) return http::ErrorResponse(InvalidArgument("must be at most 200 characters", "label"));
    if (auto s = ReadString(*body, "secret", "", hook.secret); !s.ok()) return http::ErrorResponse(s);
    if (!hook.secret.empty() && (hook.secret.size() < 16 || hook.secret.size() > 200)) {
      return http::ErrorResponse(InvalidArgument("must be 16 to 200 characters (or left out: one is made)", "secret"));
    }
    if (hook.secret.empty()) hook.secret = alerts::NewWebhookSecret();
    auto id = store.InsertWebhook(hook);
    if (!id.ok()) return http::ErrorResponse(id.status());
    // The secret is shown once, here.
    return JsonResponse(json::object{{"id", *id}, {"url", hook.url}, {"label", hook.label}, {"secret", hook.secret}}, 201);
  }));
  router.Add("DELETE", "/api/v1/alert-webhooks/{id}", WithKey(keys, Role::kAdministrator, [&](const Request& r) {
    auto id = IdParam(r);
    if (!id.ok()) return http::ErrorResponse(id.status());
    if (auto s = store.DeleteWebhook(*id); !s.ok()) return http::ErrorResponse(s);
    return NoContent();
  }));
}

}  // namespace datenwerk::api
