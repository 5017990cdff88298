// LoRaWAN ingestion and device profiles under /api/v1 (all need an API key):
//   POST /api/v1/ingest/chirpstack?event=up   ChirpStack v4 HTTP integration
//   POST /api/v1/ingest/tts                   The Things Stack v3 webhook (uplink message)
//   GET  /api/v1/ingest/dead-letters          what could not be taken, newest first
//   GET|PUT|DELETE /api/v1/devices/{devEui}, GET /api/v1/devices
#pragma once

#include "api/write_gate.h"
#include "http/router.h"
#include "sensors/device_registry.h"
#include "sensors/uplink_ingestor.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Borrows everything; it must outlive the router. Uplinks pass `gate`.
void RegisterIngestRoutes(http::Router& router, sensors::UplinkIngestor& ingestor,
                          sensors::DeviceRegistry& devices, CatalogueService& keys,
                          WriteGate& gate);

}  // namespace datenwerk::api
