// The back office's pages, private to the module. Each converts between HTTP and the services.
#pragma once

#include "verwaltung/visit.h"

namespace datenwerk::verwaltung {

// pages_session.cc (no session needed)
http::Response SignInPage(BackOffice& office, const http::Request& request);
http::Response SignIn(BackOffice& office, const http::Request& request);
http::Response SignOut(Visit& visit);

// pages_start.cc
http::Response StartPage(Visit& visit);

// pages_values.cc
http::Response KpiListPage(Visit& visit);
http::Response KpiPage(Visit& visit);
http::Response AddValue(Visit& visit);
http::Response CorrectionPage(Visit& visit);
http::Response CorrectValue(Visit& visit);
http::Response WithdrawValue(Visit& visit);

// pages_settings.cc
http::Response SettingsPage(Visit& visit);
http::Response SetSettings(Visit& visit);
http::Response SetPlan(Visit& visit);

// pages_password.cc (no session needed)
http::Response ForgotPasswordPage(BackOffice& office, const http::Request& request);
http::Response ForgotPassword(BackOffice& office, const http::Request& request);
http::Response NewPasswordPage(BackOffice& office, const http::Request& request);
http::Response NewPassword(BackOffice& office, const http::Request& request);

// pages_accounts.cc
http::Response AccountsPage(Visit& visit);
http::Response CreateAccount(Visit& visit);
http::Response AccountPage(Visit& visit);
http::Response UpdateAccount(Visit& visit);

// pages_measures.cc
http::Response MeasureListPage(Visit& visit);
http::Response MeasurePage(Visit& visit);
http::Response SetMeasureStatus(Visit& visit);
http::Response SetMeasureTexts(Visit& visit);
http::Response SetKpiName(Visit& visit);

// pages_import.cc
http::Response ImportPage(Visit& visit);
http::Response ImportPreview(Visit& visit);
http::Response ImportConfirm(Visit& visit);
http::Response ImportTemplate(Visit& visit);
http::Response PublishBatch(Visit& visit);
http::Response Export(Visit& visit);

// pages_open_data.cc
http::Response OpenDataPage(Visit& visit);
http::Response OpenDatasetPage(Visit& visit);  // GET shows, POST saves

// pages_echo.cc: BürgerEcho's inbox and a report's handling
http::Response EchoInboxPage(Visit& visit);
http::Response EchoReportPage(Visit& visit);
http::Response EchoChangeReport(Visit& visit);     // state, office, public note
http::Response EchoModerateReport(Visit& visit);   // hide or show text and photos, with a reason
// pages_echo_areas.cc: the responsibility areas (GeoJSON upload, download, removal)
http::Response EchoAreasPage(Visit& visit);
http::Response EchoAreasDownload(Visit& visit);
http::Response EchoAreasUpload(Visit& visit);
http::Response EchoAreasRemove(Visit& visit);

// pages_review.cc
http::Response ReviewQueuePage(Visit& visit);
http::Response DraftPage(Visit& visit);
http::Response PublishDraft(Visit& visit);
http::Response RejectDraft(Visit& visit);

// pages_admin.cc
http::Response AuditPage(Visit& visit);
http::Response SettingsAdminPage(Visit& visit);
http::Response SaveSettings(Visit& visit);
http::Response AuditCsv(Visit& visit);

// Shared fragments (pages_values.cc).
// A table of drafts with their state, author and a link to each.
std::string DraftTable(const Catalogue& catalogue, const std::vector<review::ValueDraft>& drafts,
                       const std::string& caption, bool show_kpi);
// The value as the portal writes it ("ca. 14.000 Meldungen/Jahr").
std::string ValueLabel(const KpiValue& value);

}  // namespace datenwerk::verwaltung
