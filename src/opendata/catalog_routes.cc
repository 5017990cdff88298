#include "opendata/catalog_routes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/thread_annotations.h"

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

// Rendered pages by syntax, page and base URL, for the version of the data they show: a harvest
// of 10,000 Datastreams' pages costs what serving files does once they are made. Bounded: at most
// kMaxPages pages and kMaxBytes bytes, then it starts afresh. Thread-safe.
class PageCache {
 public:
  std::shared_ptr<const std::string> Find(const std::string& key, const std::string& version) {
    MutexLock lock(mu_);
    auto it = pages_.find(key);
    return it != pages_.end() && it->second.first == version ? it->second.second : nullptr;
  }
  void Keep(const std::string& key, const std::string& version, std::shared_ptr<const std::string> body) {
    MutexLock lock(mu_);
    if (pages_.size() >= kMaxPages || bytes_ + body->size() > kMaxBytes) {
      pages_.clear();
      bytes_ = 0;
    }
    bytes_ += body->size();
    pages_[key] = {version, std::move(body)};
  }

 private:
  static constexpr size_t kMaxPages = 512;
  static constexpr size_t kMaxBytes = 256u << 20;
  Mutex mu_;
  std::map<std::string, std::pair<std::string, std::shared_ptr<const std::string>>> pages_ GUARDED_BY(mu_);
  size_t bytes_ GUARDED_BY(mu_) = 0;
};

std::string Render(const Graph& graph, Syntax syntax) {
  switch (syntax) {
    case Syntax::kTurtle: return ToTurtle(graph, CatalogPrefixes());
    case Syntax::kJsonLd: return ToJsonLd(graph, CatalogPrefixes());
    case Syntax::kRdfXml: return ToRdfXml(graph, CatalogPrefixes());
  }
  return {};
}

http::Response Serve(const CatalogueService& catalogue, Inventory& inventory, PageCache& cache,
                     const CatalogMetadata& configured, const http::Request& r, const SyntaxInfo& syntax,
                     std::string_view path) {
  CatalogMetadata meta = configured;
  meta.base_url = BaseUrl(configured, r);
  std::string self_url = meta.base_url + std::string(path);
  auto page_number = PageNumber(r);
  if (!page_number.ok()) return http::ErrorResponse(page_number.status());
  const auto version = [&] { return std::to_string(catalogue.Version()) + "." + inventory.Version(); };
  const std::string before = version();
  const std::string key = std::string(syntax.extension) + "|" + std::to_string(*page_number) + "|" + self_url;
  // A validator of what this page shows: harvesters that send it back get 304.
  const std::string etag = fmt::format("\"{:016x}\"", std::hash<std::string>{}(before + "|" + key));
  http::Response out;
  out.content_type = syntax.content_type;
  if (auto cached = cache.Find(key, before)) {  // made for this version: the page exists
    out.headers.emplace_back("ETag", etag);
    if (r.Header("if-none-match") == etag) {
      out.status = 304;
      out.content_type.clear();
      return out;
    }
    out.shared_body = std::move(cached);
    return out;
  }
  auto all = inventory.All(*catalogue.Snapshot());
  if (!all.ok()) return http::ErrorResponse(all.status());
  const bool stable = version() == before;  // else the data changed meanwhile: no caching
  const std::vector<Dataset>& datasets = **all;
  const int64_t total = static_cast<int64_t>(datasets.size());
  const int64_t last = std::max<int64_t>(1, (total + kPageSize - 1) / kPageSize);
  if (*page_number > last) {
    return http::ErrorResponse(NotFound("the catalogue has " + std::to_string(last) + " pages", "page"));
  }
  if (stable) out.headers.emplace_back("ETag", etag);
  const int64_t first = (*page_number - 1) * kPageSize;
  const std::vector<Dataset> slice(datasets.begin() + first,
                                   datasets.begin() + std::min(total, first + kPageSize));
  const Graph graph = BuildCatalogGraph(meta, slice, {*page_number, kPageSize, total, std::move(self_url)});
  auto body = std::make_shared<const std::string>(Render(graph, syntax.syntax));
  if (stable) cache.Keep(key, before, body);
  out.shared_body = std::move(body);
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
  for (const auto& [type, q] : http::ParseQualityList(accept)) {
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
  auto cache = std::make_shared<PageCache>();
  router.Add("GET", "/catalog", [&catalogue, &inventory, &meta, cache](const http::Request& r) {
    const Syntax chosen = ChooseSyntax(r.Header("accept"));
    const SyntaxInfo& syntax = kSyntaxes[static_cast<size_t>(chosen)];
    http::Response out = Serve(catalogue, inventory, *cache, meta, r, syntax, "/catalog");
    return out.With("Vary", "Accept");
  });
  for (const SyntaxInfo& syntax : kSyntaxes) {
    const std::string path = std::string("/catalog.") + syntax.extension;
    router.Add("GET", path, [&catalogue, &inventory, &meta, &syntax, path, cache](const http::Request& r) {
      return Serve(catalogue, inventory, *cache, meta, r, syntax, path);
    });
  }
}

}  // namespace datenwerk::opendata
