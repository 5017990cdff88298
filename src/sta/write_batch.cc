#include "sta/write_batch.h"

#include <algorithm>
#include <iterator>

namespace datenwerk::sta {

size_t WriteBatch::Add(WriteOp op) {
  ops_.push_back(std::move(op));
  return ops_.size() - 1;
}

size_t WriteBatch::Require(EntityType type, int64_t id, std::string where) {
  WriteOp op{.kind = WriteOp::Kind::kRequire, .type = type, .id = id};
  op.where = std::move(where);
  return Add(std::move(op));
}

size_t WriteBatch::Statement(sql::Statement statement, std::string where) {
  WriteOp op{.kind = WriteOp::Kind::kStatement};
  op.statement = std::move(statement);
  op.where = std::move(where);
  return Add(std::move(op));
}

size_t WriteBatch::Insert(EntityType type, int64_t id, boost::json::object doc) {
  return Add({.kind = WriteOp::Kind::kInsert, .type = type, .id = id, .doc = std::move(doc)});
}

size_t WriteBatch::InsertUnlessLinked(EntityType owner_type, int64_t owner_id, std::string nav,
                                      EntityType type, int64_t id, boost::json::object doc) {
  return Add({.kind = WriteOp::Kind::kInsertUnlessLinked, .type = type, .id = id,
              .nav = std::move(nav), .owner_type = owner_type, .owner_id = owner_id,
              .doc = std::move(doc)});
}

size_t WriteBatch::Replace(EntityType type, int64_t id, boost::json::object doc) {
  return Add({.kind = WriteOp::Kind::kReplace, .type = type, .id = id, .doc = std::move(doc)});
}

size_t WriteBatch::Remove(EntityType type, int64_t id) {
  return Add({.kind = WriteOp::Kind::kRemove, .type = type, .id = id});
}

size_t WriteBatch::Link(EntityType from, int64_t from_id, std::string nav, EntityType to,
                        int64_t to_id) {
  return Add({.kind = WriteOp::Kind::kLink, .type = from, .id = from_id, .nav = std::move(nav),
              .to_type = to, .to_id = to_id});
}

size_t WriteBatch::Unlink(EntityType from, int64_t from_id, std::string nav,
                          std::optional<int64_t> to_id) {
  return Add({.kind = WriteOp::Kind::kUnlink, .type = from, .id = from_id, .nav = std::move(nav),
              .to_id = to_id});
}

size_t WriteBatch::Observation(boost::json::object doc, EntityType stream, int64_t stream_id,
                               int64_t feature, int64_t id) {
  return Add({.kind = WriteOp::Kind::kObservation, .type = EntityType::kObservation, .id = id,
              .to_type = stream, .to_id = stream_id, .feature = feature, .doc = std::move(doc)});
}

size_t WriteBatch::Measurements(int64_t datastream, int64_t feature,
                                std::vector<Measurement> rows) {
  return Add({.kind = WriteOp::Kind::kMeasurements, .type = EntityType::kObservation,
              .to_type = EntityType::kDatastream, .to_id = datastream, .feature = feature,
              .rows = std::move(rows)});
}

size_t WriteBatch::RemoveObservations(int64_t datastream, int64_t from_ms, int64_t to_ms) {
  return Add({.kind = WriteOp::Kind::kRemoveObservations, .type = EntityType::kObservation,
              .to_type = EntityType::kDatastream, .to_id = datastream, .from_ms = from_ms,
              .to_ms = to_ms});
}

size_t WriteBatch::Append(WriteBatch other) {
  const size_t first = ops_.size();
  ops_.insert(ops_.end(), std::make_move_iterator(other.ops_.begin()),
              std::make_move_iterator(other.ops_.end()));
  return first;
}

bool WriteBatch::OnlyObservations() const {
  return std::all_of(ops_.begin(), ops_.end(), [](const WriteOp& op) {
    return op.kind == WriteOp::Kind::kObservation || op.kind == WriteOp::Kind::kMeasurements ||
           op.kind == WriteOp::Kind::kRequire || op.kind == WriteOp::Kind::kStatement;
  });
}

}  // namespace datenwerk::sta
