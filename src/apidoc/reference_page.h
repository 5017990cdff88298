// The OpenAPI description as a page for people, in German and without JavaScript: a contents
// list by topic, then per operation its method and path, what it does, who may call it, its
// parameters, request body and answers, and at the end the data formats. Pure: renders any
// OpenAPI 3.1 document; references are followed at most a few levels deep, so a document that
// refers to itself cannot loop.
#pragma once

#include <boost/json/value.hpp>

#include "web/layout.h"

namespace datenwerk::apidoc {

web::Page ReferencePage(const boost::json::value& document);

}  // namespace datenwerk::apidoc
