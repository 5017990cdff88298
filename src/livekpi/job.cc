#include "livekpi/job.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>

#include "core/dates.h"
#include "sta/thing_pages.h"

namespace datenwerk::livekpi {

namespace json = boost::json;

namespace {

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

// The first day of the month holding `days` (days since 1970) and of the next one.
std::pair<int64_t, int64_t> MonthOf(int64_t ms, int& year, int& month) {
  const std::string iso = FormatRfc3339Ms(ms).substr(0, 10);
  year = std::stoi(iso.substr(0, 4));
  month = std::stoi(iso.substr(5, 2));
  char first[32], next[32];
  std::snprintf(first, sizeof first, "%04d-%02d-01", year, month);
  std::snprintf(next, sizeof next, "%04d-%02d-01", month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1);
  return {*DaysFromIsoDate(first) * kDayMs, *DaysFromIsoDate(next) * kDayMs};
}

std::string Label(int year, int month) {
  char label[16];
  std::snprintf(label, sizeof label, "%02d/%04d", month, year);
  return label;
}

}  // namespace

LiveKpiJob::LiveKpiJob(sta::SensorThingsService& sensorthings, series::ObservationStore& series,
                       sensors::DeviceRegistry& devices, CatalogueService& catalogue, Area city, Options options,
                       std::function<int64_t()> now_ms)
    : sensorthings_(sensorthings), series_(series), devices_(devices), catalogue_(catalogue),
      city_(std::move(city)), options_(options), now_ms_(std::move(now_ms)) {}

LiveKpiJob::~LiveKpiJob() { Stop(); }

Result<std::vector<Station>> LiveKpiJob::Gather(int64_t from_ms, int64_t to_ms) {
  // Which Datastreams LoRaWAN devices feed.
  auto profiles = devices_.List();
  if (!profiles.ok()) return profiles.status();
  std::map<int64_t, std::string> device_of;
  for (const auto& p : *profiles) {
    for (const auto& [field, ds] : p.datastreams) device_of[ds] = p.dev_eui;
  }
  std::vector<Station> stations;
  Status read = sta::ForEachThing(
      sensorthings_, "id,properties", "Locations($select=location;$top=1),Datastreams($select=id,properties;$top=100)",
      [&](const json::object& thing) -> Status {
        Station s;
        s.id = thing.at("@iot.id").as_int64();
        const json::value* props = thing.if_contains("properties");
        const json::object empty;
        const json::object& properties = props && props->is_object() ? props->as_object() : empty;
        s.kind = Text(properties, "art");
        s.project = Text(properties, "projekt");
        const json::value* replay = properties.if_contains("wiedergabe");
        s.replay = replay && !replay->is_null() && !(replay->is_bool() && !replay->as_bool());
        s.position = sta::FirstPoint(thing);
        for (const json::value& d : thing.at("Datastreams").as_array()) {
          const json::object& ds = d.as_object();
          const int64_t id = ds.at("@iot.id").as_int64();
          if (const json::value* dp = ds.if_contains("properties"); dp && dp->is_object()) {
            if (std::string q = Text(dp->as_object(), "groesse"); !q.empty()) s.quantities.push_back(q);
          }
          if (!s.active) {
            auto points = series_.Range(id, from_ms, to_ms, 1, false);
            if (!points.ok()) return points.status();
            s.active = !points->empty();
          }
          if (auto it = device_of.find(id); it != device_of.end() && !s.received) {
            s.lorawan = true;
            auto received = devices_.ReceivedBetween(it->second, from_ms, to_ms);
            if (!received.ok()) return received.status();
            s.received = *received;
          }
        }
        stations.push_back(std::move(s));
        return Status::Ok();
      });
  if (!read.ok()) return read;
  return stations;
}

Status LiveKpiJob::Write(const Value& v, const std::string& period, const std::string& date, Report& report) {
  if (!catalogue_.Snapshot()->FindKpi(v.kpi_id)) {
    report.skipped.emplace_back(v.kpi_id, "die Kennzahl steht nicht im Katalog");
    return Status::Ok();
  }
  KpiValue value;
  value.kpi_id = v.kpi_id;
  value.date = date;
  value.period = period;
  value.value = v.value;
  value.unit = v.unit;
  value.source = kSource;
  value.note = v.note;
  // Checked and written in one transaction: a value staff entered for the month wins, and two
  // nodes (or a staff member's "compute now" beside the monthly run) write the month once.
  auto written = catalogue_.ApplyValueChanges({{ValueChange::Kind::kPutOfPeriod, std::move(value)}}, "Datenwerk");
  if (written.status().code() == ErrorCode::kConflict) {
    report.skipped.emplace_back(v.kpi_id, "für " + period + " ist ein Wert des Teams eingetragen");
    return Status::Ok();
  }
  if (!written.ok()) return written.status();
  report.written.push_back(v);
  return Status::Ok();
}

Result<Report> LiveKpiJob::Compute(int64_t from_ms, int64_t to_ms, const std::string& period, const std::string& date) {
  std::lock_guard lock(compute_mu_);
  const auto started = std::chrono::steady_clock::now();
  Report report;
  report.period = period;
  report.date = date;
  auto stations = Gather(from_ms, to_ms);
  if (!stations.ok()) return stations.status();
  report.stations = stations->size();
  auto outcome = ComputeLiveKpis(*stations, city_, options_);
  if (!outcome.ok()) return outcome.status();
  if (options_.uplink_retention_days > 0 &&
      from_ms < now_ms_() - int64_t{options_.uplink_retention_days} * 86'400'000) {
    // The uplink records of the period's start are gone: coverage would count them as not received.
    std::erase_if(outcome->values, [&](const Value& v) {
      if (v.kpi_id != "SCBOK-ZI-NI-K5.1" && v.kpi_id != "SCBOK-ZI-NI-K5.2") return false;
      outcome->not_computed.emplace_back(v.kpi_id, "die Empfangsdaten der Geräte werden nur " +
                                                       std::to_string(options_.uplink_retention_days) +
                                                       " Tage aufbewahrt");
      return true;
    });
  }
  for (const Value& v : outcome->values) {
    if (Status s = Write(v, period, date, report); !s.ok()) return s;
  }
  for (auto& n : outcome->not_computed) report.skipped.push_back(n);
  if (extra_) {
    auto more = extra_(from_ms, to_ms);
    if (!more.ok()) return more.status();
    for (const Value& v : more->values) {
      if (Status s = Write(v, period, date, report); !s.ok()) return s;
    }
    for (auto& n : more->not_computed) report.skipped.push_back(n);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

Result<Report> LiveKpiJob::ComputeCurrentMonth() {
  const int64_t now = now_ms_();
  int year = 0, month = 0;
  const auto [from, to] = MonthOf(now, year, month);
  (void)to;
  return Compute(from, now + 1, Label(year, month), FormatRfc3339Ms(now).substr(0, 10));
}

Result<Report> LiveKpiJob::ComputeMonth(const std::string& month) {
  const auto first = month.size() == 7 ? DaysFromIsoDate(month + "-01") : std::nullopt;
  if (!first) return InvalidArgument("must be a month as YYYY-MM", "monat");
  const int64_t now = now_ms_();
  int year = 0, m = 0;
  const auto [from, to] = MonthOf(*first * kDayMs, year, m);
  if (from > now) return InvalidArgument("lies in the future", "monat");
  if (to > now) return ComputeCurrentMonth();
  return Compute(from, to, Label(year, m), FormatRfc3339Ms(to - 1).substr(0, 10));
}

Result<std::optional<Report>> LiveKpiJob::ComputeLastMonthIfMissing() {
  int year = 0, month = 0;
  const auto [this_month, next] = MonthOf(now_ms_(), year, month);
  (void)next;
  const auto [from, to] = MonthOf(this_month - 1, year, month);
  const std::string period = Label(year, month);
  for (const KpiValue* v : catalogue_.Snapshot()->ValuesOf("SCBOK-NMU-KK-K1.2")) {
    // The finished month's automatic value is dated its last day; one of the month so far is not.
    if (v->period == period && v->source == kSource && v->date == FormatRfc3339Ms(to - 1).substr(0, 10)) {
      return std::optional<Report>();
    }
  }
  auto report = Compute(from, to, period, FormatRfc3339Ms(to - 1).substr(0, 10));
  if (!report.ok()) return report.status();
  return std::optional<Report>(std::move(report).value());
}

void LiveKpiJob::Start() {
  std::lock_guard lock(run_mu_);
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(run_mu_);
    while (!stopping_) {
      if (active_ && !active_()) {
        wake_.wait_for(lock, std::chrono::minutes(1), [this] { return stopping_; });
        continue;
      }
      lock.unlock();
      auto report = ComputeLastMonthIfMissing();
      if (!report.ok()) {
        spdlog::warn("live KPIs: {}", report.status().message());
      } else if (*report) {
        spdlog::info("live KPIs for {}: {} values from {} stations in {:.2f} s", (*report)->period,
                     (*report)->written.size(), (*report)->stations, (*report)->seconds);
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::hours(1), [this] { return stopping_; });
    }
  });
}

void LiveKpiJob::Stop() {
  {
    std::lock_guard lock(run_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace datenwerk::livekpi
