// Computes the live KPIs (live_kpis.h) from the platform's data and writes them as KPI values
// with source "Datenwerk (automatisch)": one value per KPI and month (an automatic value of the
// same month is replaced, so running again is idempotent), never over a value staff entered for
// that month. Monthly by itself (the finished month, checked hourly) and on demand (the month so
// far). Months are UTC calendar months. Thread-safe: one computation at a time.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "livekpi/live_kpis.h"
#include "sensors/device_registry.h"
#include "series/observation_store.h"
#include "sta/service.h"
#include "store/catalogue_service.h"

namespace datenwerk::livekpi {

struct Report {
  std::string period;  // "11/2026"
  std::string date;    // the values' date: the month's last day, or today for the month so far
  std::vector<Value> written;
  std::vector<std::pair<std::string, std::string>> skipped;  // (kpi id, why)
  size_t stations = 0;
  double seconds = 0;
};

class LiveKpiJob {
 public:
  // Borrows everything; all must outlive the job. `city` is the area coverage is measured over.
  LiveKpiJob(sta::SensorThingsService& sensorthings, series::ObservationStore& series,
             sensors::DeviceRegistry& devices, CatalogueService& catalogue, Area city, Options options,
             std::function<int64_t()> now_ms);
  ~LiveKpiJob();

  // The month that holds `now` so far.
  Result<Report> ComputeCurrentMonth();
  // A month "YYYY-MM": a finished one whole (values dated its last day), the current one so far;
  // kInvalidArgument for a malformed or future month.
  Result<Report> ComputeMonth(const std::string& month);
  // [from_ms, to_ms) as the period labelled `period`, values dated `date`.
  Result<Report> Compute(int64_t from_ms, int64_t to_ms, const std::string& period, const std::string& date);
  // The last finished month, unless its automatic values are there already.
  Result<std::optional<Report>> ComputeLastMonthIfMissing();

  // KPIs from elsewhere (BürgerEcho's reports), computed for the same periods and written by the
  // same rules. Set before Start(); `extra` must be thread-safe.
  using ExtraSource = std::function<Result<Outcome>(int64_t from_ms, int64_t to_ms)>;
  void SetExtraSource(ExtraSource extra) { extra_ = std::move(extra); }

  // Checks hourly (and at once) for a finished month without values; with `active`, only while it
  // answers true (this node holds the job: cluster/leases.h).
  void SetActive(std::function<bool()> active) { active_ = std::move(active); }
  void Start();
  void Stop();

  const Options& options() const { return options_; }

 private:
  Result<std::vector<Station>> Gather(int64_t from_ms, int64_t to_ms);
  Status Write(const Value& value, const std::string& period, const std::string& date, Report& report);

  ExtraSource extra_;
  std::function<bool()> active_;
  sta::SensorThingsService& sensorthings_;
  series::ObservationStore& series_;
  sensors::DeviceRegistry& devices_;
  CatalogueService& catalogue_;
  Area city_;
  Options options_;
  std::function<int64_t()> now_ms_;
  std::mutex compute_mu_;

  std::mutex run_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace datenwerk::livekpi
