// The back office under /verwaltung: where the Smart City team signs in, enters and corrects KPI
// values, reviews and publishes them, and administrators manage accounts and read the audit
// trail. Server-rendered German HTML that works without JavaScript; every form carries a CSRF
// token; every answer is "no-store". Handlers only convert between HTTP and the services.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "accounts/authenticator.h"
#include "audit/audit_log.h"
#include "echo/office_areas.h"
#include "echo/report_store.h"
#include "echo/services.h"
#include "http/router.h"
#include "mail/outbox.h"
#include "opendata/curation.h"
#include "opendata/inventory.h"
#include "review/workflow.h"
#include "store/catalogue_service.h"
#include "web/layout.h"

namespace datenwerk::verwaltung {

struct BackOffice {
  CatalogueService& catalogue;
  accounts::Authenticator& auth;
  review::Workflow& workflow;
  audit::AuditLog& audit;
  const web::PortalOptions& portal;
  std::function<int64_t()> now_ms;
  // Cookies get the Secure flag: the public URL is https (a TLS proxy in front). Requests that
  // arrive with "X-Forwarded-Proto: https" get it as well.
  bool secure_cookies = false;
  mail::Outbox* outbox = nullptr;       // password reset mails go here
  std::function<void()> mail_queued;    // wakes the relay (may be empty)
  std::string base_url;                 // how staff reach the server, for links in mails
  std::function<void()> plans_changed;  // a survey plan changed: reminders are due again (may be empty)
  // The open data (both may be unset: no /verwaltung/offene-daten).
  opendata::CurationStore* curations = nullptr;
  std::function<Result<opendata::Inventory::Generated>()> open_datasets;
  // BürgerEcho's reports (both unset: no /verwaltung/buergerecho).
  echo::ReportStore* reports = nullptr;
  std::shared_ptr<const echo::Services> echo_services;
  std::string citizens_url;  // how citizens reach the server, for the links in their mails
  // Its responsibility areas (both unset: no /verwaltung/zustaendigkeitsgebiete).
  echo::OfficeAreaSet* office_areas = nullptr;
  echo::OfficeAreaStore* office_area_store = nullptr;
};

// The German page for a body over the server's limit under /verwaltung (a file too large).
http::Response TooLargePage(const BackOffice& office, size_t limit);

// Adds every /verwaltung route. Borrows `office`, which must outlive the router.
void RegisterBackOfficeRoutes(http::Router& router, BackOffice& office);

}  // namespace datenwerk::verwaltung
