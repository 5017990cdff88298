// What the binary does: each command wires the modules together and runs. Returns an exit code.
#pragma once

#include "app/config.h"

namespace datenwerk::app {

int Serve(const Config& config);
int Import(const Config& config);
int ImportSensors(const Config& config);
int ImportAddresses(const Config& config);
int Simulate(const Config& config);
int CreateApiKey(const Config& config);

}  // namespace datenwerk::app
