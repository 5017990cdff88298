#include "sta/stream_spans.h"

#include <algorithm>

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

constexpr const char* kNames[] = {"phenomenonTime", "resultTime"};

// The start and end of a time or interval string.
std::pair<std::string, std::string> Bounds(std::string_view t) {
  size_t slash = t.find('/');
  if (slash == std::string_view::npos) return {std::string(t), std::string(t)};
  return {std::string(t.substr(0, slash)), std::string(t.substr(slash + 1))};
}

// Widens span[2 * which] / span[2 * which + 1] to cover [start, end].
void Cover(std::array<std::string, 4>& span, int which, const std::string& start,
           const std::string& end) {
  std::string& lo = span[2 * which];
  std::string& hi = span[2 * which + 1];
  if (lo.empty() || start < lo) lo = start;
  if (hi.empty() || end > hi) hi = end;
}

void CoverObservation(std::array<std::string, 4>& span, const json::object& observation) {
  for (int i = 0; i < 2; ++i) {
    const json::value* t = observation.if_contains(kNames[i]);
    if (!t || !t->is_string()) continue;
    auto [start, end] = Bounds(t->get_string());
    Cover(span, i, start, end);
  }
}

}  // namespace

void StreamSpans::Widen(EntityType type, int64_t id, const json::object& observation) {
  CoverObservation(widened_[{type, id}], observation);
}

void StreamSpans::Widen(EntityType type, int64_t id, int which, const std::string& start,
                        const std::string& end) {
  Cover(widened_[{type, id}], which, start, end);
}

Status StreamSpans::Recompute(sql::Tx& tx, DocumentStore& docs, const Key& key) {
  const auto& [type, id] = key;
  auto stream = docs.Get(&tx, type, id);
  if (!stream.ok()) return stream.status();
  if (!*stream) return Status::Ok();
  auto observations = docs.Linked(&tx, type, id, "Observations");
  if (!observations.ok()) return observations.status();
  std::array<std::string, 4> span;
  for (int64_t o : *observations) {
    auto doc = docs.Get(&tx, EntityType::kObservation, o);
    if (!doc.ok()) return doc.status();
    if (*doc) CoverObservation(span, (*doc)->doc);
  }
  json::object doc = (*stream)->doc;
  bool changed = false;
  for (int i = 0; i < 2; ++i) {
    json::value now = span[2 * i].empty() ? json::value(nullptr)
                                          : json::value(span[2 * i] + "/" + span[2 * i + 1]);
    const json::value* old = doc.if_contains(kNames[i]);
    if (old ? *old == now : now.is_null()) continue;
    doc[kNames[i]] = std::move(now);
    changed = true;
  }
  return changed ? docs.Replace(tx, type, id, doc) : Status::Ok();
}

Status StreamSpans::Flush(sql::Tx& tx, DocumentStore& docs) {
  for (const Key& key : shrunk_) {
    if (Status s = Recompute(tx, docs, key); !s.ok()) return s;
  }
  for (const auto& [key, span] : widened_) {
    const auto& [type, id] = key;
    auto stream = docs.Get(&tx, type, id);
    if (!stream.ok()) return stream.status();
    if (!*stream) continue;
    json::object doc = (*stream)->doc;
    bool changed = false;
    for (int i = 0; i < 2; ++i) {
      std::string start = span[2 * i], end = span[2 * i + 1];
      if (start.empty()) continue;
      if (const json::value* old = doc.if_contains(kNames[i]); old && old->is_string()) {
        auto [os, oe] = Bounds(old->get_string());
        start = std::min(start, os);
        end = std::max(end, oe);
      }
      json::value widened(start + "/" + end);
      if (doc.contains(kNames[i]) && doc.at(kNames[i]) == widened) continue;
      doc[kNames[i]] = std::move(widened);
      changed = true;
    }
    if (!changed) continue;
    if (Status s = docs.Replace(tx, type, id, doc); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace datenwerk::sta
