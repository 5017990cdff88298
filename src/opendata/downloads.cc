#include "opendata/downloads.h"

#include <atomic>
#include <cmath>

#include "core/csv.h"
#include "core/dates.h"
#include "core/json_text.h"

namespace datenwerk::opendata {

namespace {

constexpr size_t kPointsPerRead = 10'000;
std::atomic<int> running_downloads{0};
constexpr size_t kPieceBytes = 256 * 1024;  // a piece is sent once it holds this much

// The quoted, safe cell of a name in CSV: names are the city's, a formula stays text.
std::string Cell(std::string_view text, char separator) {
  std::string out;
  AppendCsvRow(out, {SpreadsheetSafe(text)}, separator);
  out.resize(out.size() - 2);  // without "\r\n"
  return out;
}

class Download final : public http::BodyStream {
 public:
  ~Download() override { running_downloads.fetch_sub(1); }  // counted by SeriesDownload
  Download(series::ObservationStore& store, DownloadRequest request)
      : store_(store), request_(std::move(request)), next_from_(request_.from_ms) {
    const char separator = request_.format == DownloadFormat::kCsvGerman ? ';' : ',';
    for (const DownloadSeries& s : request_.series) {
      std::string prefix;
      switch (request_.format) {
        case DownloadFormat::kCsv:
        case DownloadFormat::kCsvGerman:
          prefix = std::to_string(s.id) + separator + Cell(s.name, separator) + separator + Cell(s.unit, separator) + separator;
          break;
        case DownloadFormat::kJson:
          prefix = R"({"datastream":)" + std::to_string(s.id) + R"(,"time":")";
          break;
        case DownloadFormat::kGeoJson: {
          prefix = R"({"type":"Feature","geometry":)";
          prefix += request_.point ? R"({"type":"Point","coordinates":[)" + JsonNumberText(request_.point->first) + "," +
                                         JsonNumberText(request_.point->second) + "]}"
                                   : "null";
          prefix += R"(,"properties":{"datastream":)" + std::to_string(s.id) + R"(,"time":")";
          break;
        }
      }
      prefixes_.push_back(std::move(prefix));
    }
  }

  Result<bool> Next(std::string& out) override {
    if (!started_) {
      Head(out);
      started_ = true;
    }
    while (out.size() < kPieceBytes) {
      if (index_ >= request_.series.size()) {
        Tail(out);
        return false;
      }
      auto points = store_.Range(request_.series[index_].id, next_from_, request_.to_ms, kPointsPerRead, false);
      if (!points.ok()) return points.status();
      for (const series::Point& p : *points) Row(index_, p, out);
      if (points->size() < kPointsPerRead) {
        ++index_;
        next_from_ = request_.from_ms;
      } else {
        next_from_ = points->back().time_ms + 1;
      }
    }
    return true;
  }

 private:
  void Head(std::string& out) {
    switch (request_.format) {
      case DownloadFormat::kCsv:
        out += "datastream_id,datastream,unit,phenomenon_time,result\r\n";
        break;
      case DownloadFormat::kCsvGerman:
        out += "Messreihe;Bezeichnung;Einheit;Zeitpunkt (UTC);Messwert\r\n";
        break;
      case DownloadFormat::kJson: {
        out += R"({"datastreams":[)";
        for (size_t i = 0; i < request_.series.size(); ++i) {
          const DownloadSeries& s = request_.series[i];
          if (i) out += ',';
          out += R"({"id":)" + std::to_string(s.id) + R"(,"name":)";
          AppendJsonString(s.name, out);
          out += R"(,"unit":)";
          AppendJsonString(s.unit, out);
          out += '}';
        }
        out += R"(],"observations":[)";
        break;
      }
      case DownloadFormat::kGeoJson:
        out += R"({"type":"FeatureCollection","features":[)";
        break;
    }
  }

  void Tail(std::string& out) {
    if (request_.format == DownloadFormat::kJson) out += "]}\n";
    if (request_.format == DownloadFormat::kGeoJson) out += "]}\n";
  }

  void Row(size_t series, const series::Point& p, std::string& out) {
    const bool json = request_.format == DownloadFormat::kJson || request_.format == DownloadFormat::kGeoJson;
    if (json && rows_ > 0) out += ',';
    ++rows_;
    out += prefixes_[series];
    out += FormatRfc3339Ms(p.time_ms);
    switch (request_.format) {
      case DownloadFormat::kCsv:
      case DownloadFormat::kCsvGerman:
        out += request_.format == DownloadFormat::kCsv ? ',' : ';';
        out += FormatResult(p.value, request_.format);
        out += "\r\n";
        break;
      case DownloadFormat::kJson:
        out += R"(","value":)";
        AppendJsonNumber(p.value, out);
        out += "}\n";
        break;
      case DownloadFormat::kGeoJson:
        out += R"(","value":)";
        AppendJsonNumber(p.value, out);
        out += "}}\n";
        break;
    }
  }

  series::ObservationStore& store_;
  const DownloadRequest request_;
  std::vector<std::string> prefixes_;  // per series: what each of its rows starts with
  size_t index_ = 0;                   // the series being read
  int64_t next_from_;
  int64_t rows_ = 0;
  bool started_ = false;
};

}  // namespace

std::string FormatResult(double value, DownloadFormat format) {
  if (!std::isfinite(value)) return "";
  std::string text = JsonNumberText(value);
  if (format == DownloadFormat::kCsvGerman) {
    for (char& c : text) {
      if (c == '.') c = ',';
    }
  }
  return text;
}

std::shared_ptr<http::BodyStream> SeriesDownload(series::ObservationStore& store, DownloadRequest request) {
  if (running_downloads.fetch_add(1) >= kMaxConcurrentDownloads) {
    running_downloads.fetch_sub(1);
    return nullptr;
  }
  return std::make_shared<Download>(store, std::move(request));
}

}  // namespace datenwerk::opendata
