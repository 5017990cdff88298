// The byte format of one chunk of a time series: points whose times strictly increase.
//
// A block starts with the byte 0xD3 and a codec byte (0: stored, 1: zstd), then the payload:
// the count, the value mode, the first time, every later time as the varint of its
// delta-of-delta, then the values: when all are decimals with at most six places (sensor
// readings usually are: 21.37, 0.5, 1013), the varints of their scaled differences; otherwise
// the XOR of each double with the one before, as eight byte planes. Varints are zigzag LEB128.
// Whole chunks are compressed with zstd, whose entropy coder takes the varints' bytes close to
// their information content (a random walk at 0.01 steps: 4.5 bits a reading; regular times: a
// few bytes a chunk). Every double round-trips exactly, -0.0 and NaN payloads included.
//
// Blocks of the older Gorilla format (series/gorilla.h) start with a zero byte; DecodeChunk
// reads both, so chunks written by earlier releases stay readable.
// Pure functions; thread-safe (zstd contexts come from a small shared pool).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "series/point.h"

namespace datenwerk::series {

// Encodes points whose times strictly increase. Precondition checked: kInvalidArgument otherwise.
Result<std::string> EncodeChunk(std::span<const Point> points);

// Appends the points of a block (this format or the older Gorilla one) to `out`. Corrupt or
// truncated input gives kInternal and leaves `out` as it was, never a crash or a read out of
// bounds, whatever sizes the block claims.
Status DecodeChunkInto(std::string_view block, std::vector<Point>& out);
Result<std::vector<Point>> DecodeChunk(std::string_view block);

}  // namespace datenwerk::series
