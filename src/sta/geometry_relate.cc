#include "sta/geometry_relate.h"

#include <geos_c.h>

#include <memory>
#include <string>

namespace datenwerk::sta::filter {

namespace {

// One GEOS context per thread, finished when the thread ends.
class Context {
 public:
  Context() : handle_(GEOS_init_r()) {}
  ~Context() { GEOS_finish_r(handle_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  GEOSContextHandle_t get() const { return handle_; }

 private:
  GEOSContextHandle_t handle_;
};

GEOSContextHandle_t ThisThread() {
  thread_local Context context;
  return context.get();
}

struct GeomDeleter {
  GEOSContextHandle_t context;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(context, g); }
};
using GeomHandle = std::unique_ptr<GEOSGeometry, GeomDeleter>;

// Builds the GEOS geometry of `g` from its coordinates.
GeomHandle ToGeos(GEOSContextHandle_t ctx, const Geometry& g) {
  if (g.points.empty()) return GeomHandle(nullptr, GeomDeleter{ctx});
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(g.points.size()), 2);
  if (!seq) return GeomHandle(nullptr, GeomDeleter{ctx});
  for (unsigned i = 0; i < g.points.size(); ++i) {
    GEOSCoordSeq_setXY_r(ctx, seq, i, g.points[i].first, g.points[i].second);
  }
  GEOSGeometry* out = nullptr;
  switch (g.kind) {
    case Geometry::Kind::kPoint: out = GEOSGeom_createPoint_r(ctx, seq); break;
    case Geometry::Kind::kLineString: out = GEOSGeom_createLineString_r(ctx, seq); break;
    case Geometry::Kind::kPolygon: {
      GEOSGeometry* shell = GEOSGeom_createLinearRing_r(ctx, seq);  // takes the sequence
      out = shell ? GEOSGeom_createPolygon_r(ctx, shell, nullptr, 0) : nullptr;
      break;
    }
  }
  // On failure GEOS has taken the sequence or freed it with the geometry it could not make.
  return GeomHandle(out, GeomDeleter{ctx});
}

// GEOS predicates answer 1, 0, or 2 for an exception.
std::optional<bool> Answer(char result) {
  if (result == 2) return std::nullopt;
  return result == 1;
}

}  // namespace

std::optional<bool> Relate(Relation relation, const Geometry& a, const Geometry& b) {
  GEOSContextHandle_t ctx = ThisThread();
  GeomHandle ga = ToGeos(ctx, a), gb = ToGeos(ctx, b);
  if (!ga || !gb) return std::nullopt;
  switch (relation) {
    case Relation::kCrosses: return Answer(GEOSCrosses_r(ctx, ga.get(), gb.get()));
    case Relation::kOverlaps: return Answer(GEOSOverlaps_r(ctx, ga.get(), gb.get()));
    case Relation::kTouches: return Answer(GEOSTouches_r(ctx, ga.get(), gb.get()));
  }
  return std::nullopt;
}

std::optional<bool> RelatePattern(const Geometry& a, const Geometry& b, std::string_view pattern) {
  if (pattern.size() != 9 || pattern.find_first_not_of("TF*012") != std::string_view::npos) {
    return std::nullopt;
  }
  GEOSContextHandle_t ctx = ThisThread();
  GeomHandle ga = ToGeos(ctx, a), gb = ToGeos(ctx, b);
  if (!ga || !gb) return std::nullopt;
  const std::string p(pattern);
  return Answer(GEOSRelatePattern_r(ctx, ga.get(), gb.get(), p.c_str()));
}

}  // namespace datenwerk::sta::filter
