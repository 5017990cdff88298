// The chunk format of releases before the zstd-coded one (series/chunk_codec.h), still read so
// that no city loses history; new chunks are not written in it.
// Compression of one datastream's time series, after Facebook's Gorilla (VLDB 2015):
// timestamps as delta-of-delta in variable-width bit fields. Values that are all decimals with at
// most six places (sensor readings usually are: 21.37, 0.5, 1013) are stored as scaled integers,
// delta-coded in variable-width bit fields; other values as the XOR with the previous value,
// keeping only the meaningful bits. Both round-trip every double exactly.
// Pure functions; thread-compatible.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "series/point.h"

namespace datenwerk::series {

// Encodes points whose times strictly increase. Precondition checked: kInvalidArgument otherwise.
Result<std::string> EncodeGorilla(std::span<const Point> points);

// Decodes a block made by EncodeGorilla. Corrupt or truncated input gives kInternal, never a
// crash or a read out of bounds.
Result<std::vector<Point>> DecodeGorilla(std::string_view block);

}  // namespace datenwerk::series
