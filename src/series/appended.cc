#include "series/appended.h"

#include <charconv>
#include <cmath>

#include "store/change_feed.h"

namespace datenwerk::series {

namespace {

// Appends `item` to the detail being built, starting a new one (with `head`) when it would not fit.
void Add(std::vector<std::string>& details, std::string_view head, std::string_view item) {
  if (details.empty() || details.back().size() + 1 + item.size() > sql::kMaxDetail) details.emplace_back(head);
  details.back().append(" ").append(item);
}

void AppendNumber(std::string& out, auto number) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

template <typename T>
bool ReadNumber(std::string_view& rest, T& out) {
  const size_t end = rest.find(' ');
  const std::string_view word = rest.substr(0, end);
  if (word.empty()) return false;
  auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
  if (ec != std::errc() || ptr != word.data() + word.size()) return false;
  if (end == std::string_view::npos) {
    rest = {};
    return true;
  }
  rest = rest.substr(end + 1);
  return !rest.empty();  // no trailing space
}

}  // namespace

std::vector<std::string> AppendedDetails(const std::vector<AppendedRun>& runs) {
  size_t readings = 0;
  for (const AppendedRun& run : runs) readings += run.points.size();
  std::vector<std::string> details;
  if (readings == 0) return details;
  if (runs.size() > kMaxAnnouncedSeries) return {"a"};
  std::string item;
  if (readings > kMaxAnnouncedReadings) {
    for (const AppendedRun& run : runs) {
      if (run.points.empty()) continue;
      item.clear();
      AppendNumber(item, run.datastream);
      Add(details, "s", item);
    }
    return details;
  }
  for (const AppendedRun& run : runs) {
    for (const Point& p : run.points) {
      item.clear();
      AppendNumber(item, run.datastream);
      item += ' ';
      AppendNumber(item, p.time_ms);
      item += ' ';
      AppendNumber(item, p.value);
      Add(details, "r", item);
    }
  }
  return details;
}

Status AnnounceAppended(sql::Tx& tx, const std::vector<AppendedRun>& runs) {
  if (std::string_view(tx.Dialect()) != "postgresql") return Status::Ok();
  return sql::AnnounceAll(tx, kAppendedTopic, AppendedDetails(runs));
}

Result<Appended> ParseAppended(std::string_view detail) {
  Appended out;
  if (detail.empty() || detail == "a") {
    out.any = true;
    return out;
  }
  const auto refused = [] { return InvalidArgument("not an announcement of new readings", "detail"); };
  if (detail.size() > sql::kMaxDetail + 2 || detail.size() < 3 || detail[1] != ' ') return refused();
  const char kind = detail[0];
  std::string_view rest = detail.substr(2);
  while (!rest.empty()) {
    int64_t ds = 0;
    if (!ReadNumber(rest, ds) || ds <= 0) return refused();
    if (kind == 's') {
      out.datastreams.push_back(ds);
      continue;
    }
    if (kind != 'r') return refused();
    Point p;
    if (!ReadNumber(rest, p.time_ms) || !ReadNumber(rest, p.value) || !std::isfinite(p.value)) return refused();
    out.readings.push_back({ds, p});
  }
  return out;
}

}  // namespace datenwerk::series
