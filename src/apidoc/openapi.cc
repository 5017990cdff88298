#include "apidoc/openapi.h"

#include <boost/json/parse.hpp>
#include <stdexcept>
#include <string>

namespace datenwerk::apidoc {

const boost::json::value& OpenApiDocument() {
  static const boost::json::value kDocument = [] {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(OpenApiText(), ec);
    if (ec || !v.is_object()) {
      throw std::runtime_error("openapi.json does not parse: " + ec.message());
    }
    return v;
  }();
  return kDocument;
}

}  // namespace datenwerk::apidoc
