// What the sensor importer reads out of a city's published files, before anything is stored:
// stations (SensorThings Things with one Location) with their series (Datastreams) of readings.
// Plain data; the readers fill it, sensor_import.h stores it.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace datenwerk::importer {

// How a column becomes a Datastream: what it measures, in which unit, and which values are
// plausible (outside [min, max] a reading is kept but flagged).
struct SeriesSpec {
  std::string column;       // in the file, e.g. "outdoor_temperature"
  std::string key;          // stable, e.g. "lufttemperatur"; with the station's key it finds the
                            // Datastream again on the next import
  std::string name;         // German, e.g. "Lufttemperatur"
  std::string description;  // German; says where the unit comes from when the city is silent
  std::string unit_name;    // "Grad Celsius"; "nicht dokumentiert" when nobody states it
  std::string unit_symbol;  // "°C"
  std::string unit_code;    // UCUM, e.g. "Cel"; empty when no unit is documented
  std::string property;     // ObservedProperty name, e.g. "Lufttemperatur"
  std::optional<double> min, max;
};

struct Reading {
  int64_t time_ms = 0;
  double value = 0;
  std::string quality;      // empty when plausible; else why not (German), as resultQuality
  int32_t offset_min = 0;   // the local UTC offset the file gave for this time, if any
};

struct Series {
  SeriesSpec spec;
  std::vector<Reading> readings;  // in time order, one per time
};

struct Station {
  std::string key;          // stable, e.g. "ecowitt:C4DD57CF66AB"
  std::string name;         // "Wetterstation Westpark"
  std::string description;
  std::string sensor;       // the device model, e.g. "EcoWitt GW2001 (Smarte Bank)"
  double latitude = 0, longitude = 0;
  boost::json::object properties;  // source, licence, time zone, ...
  std::vector<Series> series;
};

// A row or file that could not be read: "file:line" and why.
struct Problem {
  std::string where;
  std::string message;
};

struct ImportSet {
  std::vector<Station> stations;
  std::vector<Problem> problems;
  int64_t files = 0;
  int64_t rows = 0;
  int64_t duplicates = 0;  // the same time twice in a series: the first is kept
};

}  // namespace datenwerk::importer
