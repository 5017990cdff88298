#include "opendata/curation_routes.h"

#include <boost/json.hpp>

#include "api/json_body.h"
#include "api/json_codec.h"
#include "api/request_helpers.h"

namespace datenwerk::opendata {

namespace json = boost::json;

namespace {

json::object ToJson(const Curation& c) {
  json::array keywords;
  for (const std::string& k : c.keywords) keywords.emplace_back(k);
  return {{"dataset", c.dataset_id}, {"title", c.title}, {"description", c.description},
          {"keywords", std::move(keywords)}, {"license", c.license.empty() ? json::value(nullptr) : json::value(c.license)},
          {"attribution", c.attribution}, {"changed_at", c.changed_at}};
}

bool DatasetIdChars(const std::string& id) {
  return !id.empty() && id.size() <= 200 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

}  // namespace

void RegisterCurationRoutes(http::Router& router, CatalogueService& keys, CurationStore& curations,
                            const Clock& clock) {
  router.Add("GET", "/api/v1/open-data/curations", api::WithKey(keys, Role::kViewer, [&curations](const http::Request&) {
    json::array items;
    for (const auto& [id, c] : *curations.All()) items.push_back(ToJson(c));
    return api::JsonResponse(json::object{{"items", std::move(items)}});
  }));
  router.Add("PUT", "/api/v1/open-data/curations/{dataset}",
             api::WithKey(keys, Role::kAdministrator, [&curations, &clock](const http::Request& r) {
               if (Status s = api::CheckJsonMediaType(r, true); !s.ok()) return http::ErrorResponse(s);
               Curation c;
               c.dataset_id = r.Param("dataset");
               if (!DatasetIdChars(c.dataset_id)) {
                 return http::ErrorResponse(InvalidArgument("must be a dataset id (a-z, 0-9, '-', '.')", "dataset"));
               }
               auto body = api::ParseObject(r.body, {"title", "description", "keywords", "license", "attribution"});
               if (!body.ok()) return http::ErrorResponse(body.status());
               for (auto [name, out] : {std::pair{"title", &c.title}, {"description", &c.description},
                                        {"license", &c.license}, {"attribution", &c.attribution}}) {
                 if (Status s = api::ReadString(*body, name, "", *out); !s.ok()) return http::ErrorResponse(s);
               }
               if (const json::value* k = body->if_contains("keywords"); k && !k->is_null()) {
                 if (!k->is_array()) return http::ErrorResponse(InvalidArgument("must be an array of strings", "keywords"));
                 if (k->as_array().size() > 20) return http::ErrorResponse(InvalidArgument("at most 20 keywords", "keywords"));
                 for (size_t i = 0; i < k->as_array().size(); ++i) {
                   const json::value& v = k->as_array()[i];
                   if (!v.is_string()) {
                     return http::ErrorResponse(InvalidArgument("must be a string", "keywords[" + std::to_string(i) + "]"));
                   }
                   c.keywords.emplace_back(v.as_string());
                 }
               }
               const std::string id = c.dataset_id;
               if (Status s = curations.Put(std::move(c), clock.NowUtc()); !s.ok()) return http::ErrorResponse(s);
               return api::JsonResponse(ToJson(curations.All()->at(id)));
             }));
}

}  // namespace datenwerk::opendata
