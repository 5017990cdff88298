// Which series got new readings in a write transaction, told to every node of a deployment over
// the change feed (store/change_feed.h, PostgreSQL only): the node that evaluates the alert rules
// then sees the readings every node stores, in commit order, without reading them back.
//
// A transaction's readings go out as announcements of kAppendedTopic, each at most
// sql::kMaxDetail bytes. A transaction with more than kMaxAnnouncedReadings readings names
// only its series (the listener reads their new readings from the store), and one with more than
// kMaxAnnouncedSeries series says only that any series may have changed.
//
// Formats of the detail (numbers as text; values in the shortest form that reads back exactly):
//   "r <ds> <time_ms> <value> <ds> <time_ms> <value> ..."   readings, each series' in a row
//   "s <ds> <ds> ..."                                       series with new readings
//   "" or "a"                                               any series may have new readings
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "series/point.h"
#include "store/sql_connection.h"

namespace datenwerk::series {

inline constexpr char kAppendedTopic[] = "series.appended";
inline constexpr size_t kMaxAnnouncedReadings = 20'000;
inline constexpr size_t kMaxAnnouncedSeries = 200'000;

// The new readings of one series in a transaction, in the order they were written.
struct AppendedRun {
  int64_t datastream = 0;
  std::span<const Point> points;
};

// The announcements' details for `runs` (empty when there are none).
std::vector<std::string> AppendedDetails(const std::vector<AppendedRun>& runs);
// Inside a write transaction: announces `runs` (nothing on SQLite, where one node evaluates
// what it writes).
Status AnnounceAppended(sql::Tx& tx, const std::vector<AppendedRun>& runs);

// One announcement read back. A detail that is not in one of the formats above is refused
// (kInvalidArgument): the feed's channel is open to every role of the database.
struct Appended {
  bool any = false;  // any series may have new readings
  std::vector<int64_t> datastreams;  // "s": these series (read them from the store)
  struct Reading {
    int64_t datastream;
    Point point;
  };
  std::vector<Reading> readings;  // "r"
};
Result<Appended> ParseAppended(std::string_view detail);

}  // namespace datenwerk::series
