// Private to api/sta_*.cc: the SensorThings request handler, and JSON $batch on top of it.
#pragma once

#include "api/write_gate.h"
#include "http/message.h"
#include "sta/service.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// One request under /sta/v1.1 (except $batch). With `changes`, a write is staged into that
// change set (a $batch atomicity group) and answers as if stored.
http::Response HandleSensorThings(const http::Request& r, sta::SensorThingsService& service,
                                  CatalogueService& keys, sta::ChangeSet* changes = nullptr);
// POST /sta/v1.1/$batch with an OData 4.01 JSON batch body. A batch that writes takes a place
// at `gate` (an authorised one only); a batch of reads takes none. Its reads share one budget.
http::Response HandleBatch(const http::Request& r, sta::SensorThingsService& service,
                           CatalogueService& keys, WriteGate& gate);

}  // namespace datenwerk::api
