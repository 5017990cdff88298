// The datenwerk binary: parses the configuration and runs one command. Wiring lives in
// app/commands.cc; this file only dispatches and turns fatal exceptions into an exit code.
#include <spdlog/spdlog.h>

#include <exception>

#include "app/back_office.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/database.h"

// gperftools' C interface, when the server is linked with tcmalloc (src/app/CMakeLists.txt).
extern "C" int MallocExtension_SetNumericProperty(const char* property, size_t value) __attribute__((weak));

int main(int argc, char** argv) {
  // The threads' caches of freed memory together at most 16 MiB (tcmalloc's default is 32): with
  // 64 dedicated connection threads (http/server.h) they filled the 32, and the server's memory
  // after a burst of 50 connections grew by 54 MiB instead of 27.
  if (MallocExtension_SetNumericProperty) {
    MallocExtension_SetNumericProperty("tcmalloc.max_total_thread_cache_bytes", size_t{16} << 20);
  }
  int exit_code = 0;
  auto config = datenwerk::app::ParseConfig(argc, argv, exit_code);
  if (!config) return exit_code;
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  try {
    switch (config->command) {
      case datenwerk::app::Command::kServe: return datenwerk::app::Serve(*config);
      case datenwerk::app::Command::kImport: return datenwerk::app::Import(*config);
      case datenwerk::app::Command::kImportSensors: return datenwerk::app::ImportSensors(*config);
      case datenwerk::app::Command::kImportAddresses: return datenwerk::app::ImportAddresses(*config);
      case datenwerk::app::Command::kSimulate: return datenwerk::app::Simulate(*config);
      case datenwerk::app::Command::kApiKeyCreate: return datenwerk::app::CreateApiKey(*config);
      case datenwerk::app::Command::kUserCreate: return datenwerk::app::CreateUser(*config);
      case datenwerk::app::Command::kMigrate: return datenwerk::app::Migrate(*config);
      case datenwerk::app::Command::kCopy: return datenwerk::app::CopyDatabase(*config);
    }
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 2;
  }
  return 0;
}
