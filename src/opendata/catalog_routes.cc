#include "opendata/catalog_routes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace datenwerk::opendata {

namespace {

struct SyntaxInfo {
  Syntax syntax;
  const char* content_type;
  const char* extension;
};

constexpr SyntaxInfo kSyntaxes[] = {
    {Syntax::kTurtle, "text/turtle; charset=utf-8", "ttl"},
    {Syntax::kJsonLd, "application/ld+json; charset=utf-8", "jsonld"},
    {Syntax::kRdfXml, "application/rdf+xml; charset=utf-8", "rdf"},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<Syntax> SyntaxOfMediaType(std::string_view type) {
  if (type == "text/turtle" || type == "application/x-turtle") return Syntax::kTurtle;
  if (type == "application/ld+json" || type == "application/json") return Syntax::kJsonLd;
  if (type == "application/rdf+xml" || type == "application/xml" || type == "text/xml") return Syntax::kRdfXml;
  if (type == "*/*" || type == "text/*") return Syntax::kTurtle;
  return std::nullopt;
}

// 1-based page number from ?page=, or an error naming it.
Result<int64_t> PageNumber(const http::Request& r) {
  const std::string& text = r.Query("page");
  if (text.empty()) return int64_t{1};
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) {
    return InvalidArgument("must be a whole number from 1", "page");
  }
  return n;
}

http::Response Serve(const CatalogueService& catalogue, Inventory& inventory,
                     const CatalogMetadata& configured, const http::Request& r, const SyntaxInfo& syntax,
                     std::string_view path) {
  CatalogMetadata meta = configured;
  meta.base_url = BaseUrl(configured, r);
  std::string self_url = meta.base_url + std::string(path);
  auto page_number = PageNumber(r);
  if (!page_number.ok()) return http::ErrorResponse(page_number.status());
  auto all = inventory.All(*catalogue.Snapshot());
  if (!all.ok()) return http::ErrorResponse(all.status());
  const std::vector<Dataset>& datasets = **all;
  const int64_t total = static_cast<int64_t>(datasets.size());
  const int64_t last = std::max<int64_t>(1, (total + kPageSize - 1) / kPageSize);
  if (*page_number > last) {
    return http::ErrorResponse(NotFound("the catalogue has " + std::to_string(last) + " pages", "page"));
  }
  const int64_t first = (*page_number - 1) * kPageSize;
  const std::vector<Dataset> slice(datasets.begin() + first,
                                   datasets.begin() + std::min(total, first + kPageSize));
  const Graph graph = BuildCatalogGraph(meta, slice, {*page_number, kPageSize, total, std::move(self_url)});
  http::Response out;
  out.content_type = syntax.content_type;
  switch (syntax.syntax) {
    case Syntax::kTurtle: out.body = ToTurtle(graph, CatalogPrefixes()); break;
    case Syntax::kJsonLd: out.body = ToJsonLd(graph, CatalogPrefixes()); break;
    case Syntax::kRdfXml: out.body = ToRdfXml(graph, CatalogPrefixes()); break;
  }
  return out;
}

}  // namespace

std::string BaseUrl(const CatalogMetadata& meta, const http::Request& r) {
  if (!meta.base_url.empty()) return meta.base_url;
  std::string host = r.Header("host");
  const bool safe = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '-' || c == '[' || c == ']';
  });
  return "http://" + (safe ? host : std::string("localhost"));
}

Syntax ChooseSyntax(std::string_view accept) {
  std::optional<Syntax> best;
  double best_q = 0;
  bool best_exact = false;  // an exact type beats "*/*" at the same q
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const size_t semicolon = item.find(';');
    const std::string_view type = Trim(item.substr(0, semicolon));
    double q = 1;
    for (std::string_view params = semicolon == std::string_view::npos ? "" : item.substr(semicolon + 1);
         !params.empty();) {
      const size_t next = params.find(';');
      const std::string_view param = Trim(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      if (param.starts_with("q=")) q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
    const auto syntax = SyntaxOfMediaType(type);
    if (!syntax || q <= 0) continue;
    const bool exact = type != "*/*" && type != "text/*";
    if (!best || q > best_q || (q == best_q && exact && !best_exact)) {
      best = syntax;
      best_q = q;
      best_exact = exact;
    }
  }
  return best.value_or(Syntax::kTurtle);
}

void RegisterCatalogRoutes(http::Router& router, const CatalogueService& catalogue,
                           Inventory& inventory, const CatalogMetadata& meta) {
  router.Add("GET", "/catalog", [&catalogue, &inventory, &meta](const http::Request& r) {
    const Syntax chosen = ChooseSyntax(r.Header("accept"));
    const SyntaxInfo& syntax = kSyntaxes[static_cast<size_t>(chosen)];
    http::Response out = Serve(catalogue, inventory, meta, r, syntax, "/catalog");
    return out.With("Vary", "Accept");
  });
  for (const SyntaxInfo& syntax : kSyntaxes) {
    const std::string path = std::string("/catalog.") + syntax.extension;
    router.Add("GET", path, [&catalogue, &inventory, &meta, &syntax, path](const http::Request& r) {
      return Serve(catalogue, inventory, meta, r, syntax, path);
    });
  }
}

}  // namespace datenwerk::opendata
