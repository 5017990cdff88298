// The OpenAPI description compiled into the binary and its page for people, without a server.
// (That real answers match it is tests/http/openapi.test.mjs.)
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "apidoc/openapi.h"
#include "apidoc/reference_page.h"

namespace datenwerk::apidoc {
namespace {

namespace json = boost::json;

TEST(OpenApiTest, TheEmbeddedDocumentIsOpenApi31) {
  const json::value& doc = OpenApiDocument();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  EXPECT_GT(doc.at("paths").as_object().size(), 40u);
  EXPECT_EQ(OpenApiText().front(), '{');
}

TEST(ReferencePageTest, EveryOperationHasItsSectionAndFormatsAreLinked) {
  const json::value& doc = OpenApiDocument();
  const web::Page page = ReferencePage(doc);
  EXPECT_EQ(page.title, "Programmierschnittstelle (API)");
  size_t operations = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      ++operations;
      const std::string id(op.at("operationId").as_string());
      EXPECT_NE(page.body.find("id=\"op-" + id + "\""), std::string::npos) << id;
    }
  }
  EXPECT_GT(operations, 60u);
  EXPECT_NE(page.body.find("<a href=\"#schema-Kpi\">Kpi</a>"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"schema-Kpi\""), std::string::npos);
  EXPECT_NE(page.body.find("Berechtigung: API-Schlüssel mit der Rolle administrator"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"webhooks\""), std::string::npos);
}

TEST(ReferencePageTest, HostileDocumentsNeitherLoopNorInjectMarkup) {
  // A reference to itself, a reference into nothing, markup in texts, wrong types everywhere.
  const json::value doc = json::parse(R"({
    "info": {"version": 7, "description": "<script>alert(1)</script>"},
    "tags": [{"name": "T<b>"}, 5, {"name": "leer"}],
    "paths": {
      "/a/{x}": {"get": {"operationId": "a\"b", "tags": ["T<b>"], "summary": "<i>s</i>",
                 "parameters": [{"$ref": "#/components/parameters/loop"}, {"$ref": "#/nichts/da"}, 3],
                 "responses": {"200": {"$ref": "#/components/responses/r"}, "400": "x"},
                 "security": [{"k": ["editor"]}]}},
      "/b": "kein Objekt"},
    "components": {"parameters": {"loop": {"$ref": "#/components/parameters/loop"}},
                   "responses": {"r": {"description": "ok", "content": {"application/json":
                      {"schema": {"$ref": "#/components/schemas/S"}}}}},
                   "schemas": {"S": {"type": ["object", "null"], "properties": {"p": {"oneOf": [{"$ref": "#/components/schemas/S"}, 3]}}}}}
  })");
  const web::Page page = ReferencePage(doc);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_EQ(page.body.find("<i>s</i>"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;i&gt;s&lt;/i&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("<a href=\"#schema-S\">S</a>"), std::string::npos);
  const web::Page nothing = ReferencePage(json::value(42));
  EXPECT_NE(nothing.body.find("Datenformate"), std::string::npos);
}

}  // namespace
}  // namespace datenwerk::apidoc
