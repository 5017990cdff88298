#include "verwaltung/pages.h"

namespace datenwerk::verwaltung {

void RegisterBackOfficeRoutes(http::Router& router, BackOffice& office) {
  router.Add("GET", "/verwaltung/anmelden", [&office](const http::Request& r) { return SignInPage(office, r); });
  router.Add("POST", "/verwaltung/anmelden", [&office](const http::Request& r) { return SignIn(office, r); });
  router.Add("POST", "/verwaltung/abmelden", Gate(office, Role::kViewer, SignOut));
  router.Add("GET", "/verwaltung/passwort-vergessen", [&office](const http::Request& r) { return ForgotPasswordPage(office, r); });
  router.Add("POST", "/verwaltung/passwort-vergessen", [&office](const http::Request& r) { return ForgotPassword(office, r); });
  router.Add("GET", "/verwaltung/passwort-neu", [&office](const http::Request& r) { return NewPasswordPage(office, r); });
  router.Add("POST", "/verwaltung/passwort-neu", [&office](const http::Request& r) { return NewPassword(office, r); });

  router.Add("GET", "/verwaltung", Gate(office, Role::kViewer, StartPage));
  router.Add("GET", "/verwaltung/indikatoren", Gate(office, Role::kViewer, KpiListPage));
  router.Add("GET", "/verwaltung/indikatoren/{id}", Gate(office, Role::kViewer, KpiPage));
  router.Add("POST", "/verwaltung/indikatoren/{id}/werte", Gate(office, Role::kEditor, AddValue));
  router.Add("GET", "/verwaltung/indikatoren/{id}/ziel", Gate(office, Role::kEditor, SettingsPage));
  router.Add("POST", "/verwaltung/indikatoren/{id}/ziel", Gate(office, Role::kEditor, SetSettings));
  router.Add("POST", "/verwaltung/indikatoren/{id}/plan", Gate(office, Role::kAdministrator, SetPlan));
  router.Add("GET", "/verwaltung/indikatoren/{id}/werte/{value_id}", Gate(office, Role::kEditor, CorrectionPage));
  router.Add("POST", "/verwaltung/indikatoren/{id}/werte/{value_id}", Gate(office, Role::kEditor, CorrectValue));
  router.Add("POST", "/verwaltung/indikatoren/{id}/werte/{value_id}/ruecknahme",
             Gate(office, Role::kEditor, WithdrawValue));

  router.Add("POST", "/verwaltung/indikatoren/{id}/text", Gate(office, Role::kEditor, SetKpiName));
  router.Add("GET", "/verwaltung/massnahmen", Gate(office, Role::kViewer, MeasureListPage));
  router.Add("GET", "/verwaltung/massnahmen/{id}", Gate(office, Role::kViewer, MeasurePage));
  router.Add("POST", "/verwaltung/massnahmen/{id}/stand", Gate(office, Role::kEditor, SetMeasureStatus));
  router.Add("POST", "/verwaltung/massnahmen/{id}/texte", Gate(office, Role::kEditor, SetMeasureTexts));

  router.Add("GET", "/verwaltung/import", Gate(office, Role::kEditor, ImportPage));
  router.Add("POST", "/verwaltung/import", Gate(office, Role::kEditor, ImportPreview));
  router.Add("GET", "/verwaltung/import/vorlage.csv", Gate(office, Role::kEditor, ImportTemplate));
  router.Add("POST", "/verwaltung/import/{import_id}", Gate(office, Role::kEditor, ImportConfirm));
  router.Add("POST", "/verwaltung/stapel/{batch}/veroeffentlichen", Gate(office, Role::kReviewer, PublishBatch));
  router.Add("GET", "/verwaltung/export/{name}", Gate(office, Role::kViewer, Export));

  if (office.reports) {
    router.Add("GET", "/verwaltung/buergerecho", Gate(office, Role::kViewer, EchoInboxPage));
    router.Add("GET", "/verwaltung/buergerecho/{id}", Gate(office, Role::kViewer, EchoReportPage));
    router.Add("POST", "/verwaltung/buergerecho/{id}", Gate(office, Role::kEditor, EchoChangeReport));
    router.Add("POST", "/verwaltung/buergerecho/{id}/sichtbarkeit", Gate(office, Role::kEditor, EchoModerateReport));
    router.Add("GET", "/verwaltung/zustaendigkeitsgebiete", Gate(office, Role::kViewer, EchoAreasPage));
    router.Add("GET", "/verwaltung/zustaendigkeitsgebiete.geojson", Gate(office, Role::kViewer, EchoAreasDownload));
    router.Add("POST", "/verwaltung/zustaendigkeitsgebiete", Gate(office, Role::kAdministrator, EchoAreasUpload));
    router.Add("POST", "/verwaltung/zustaendigkeitsgebiete/entfernen", Gate(office, Role::kAdministrator, EchoAreasRemove));
  }

  router.Add("GET", "/verwaltung/pruefung", Gate(office, Role::kReviewer, ReviewQueuePage));
  router.Add("GET", "/verwaltung/entwuerfe/{draft_id}", Gate(office, Role::kViewer, DraftPage));
  router.Add("POST", "/verwaltung/entwuerfe/{draft_id}/veroeffentlichen", Gate(office, Role::kReviewer, PublishDraft));
  router.Add("POST", "/verwaltung/entwuerfe/{draft_id}/ablehnen", Gate(office, Role::kReviewer, RejectDraft));

  router.Add("GET", "/verwaltung/konten", Gate(office, Role::kAdministrator, AccountsPage));
  router.Add("POST", "/verwaltung/konten", Gate(office, Role::kAdministrator, CreateAccount));
  router.Add("GET", "/verwaltung/konten/{account_id}", Gate(office, Role::kAdministrator, AccountPage));
  router.Add("POST", "/verwaltung/konten/{account_id}", Gate(office, Role::kAdministrator, UpdateAccount));
  router.Add("GET", "/verwaltung/einstellungen", Gate(office, Role::kAdministrator, SettingsAdminPage));
  router.Add("POST", "/verwaltung/einstellungen", Gate(office, Role::kAdministrator, SaveSettings));
  router.Add("GET", "/verwaltung/offene-daten", Gate(office, Role::kAdministrator, OpenDataPage));
  router.Add("GET", "/verwaltung/offene-daten/{id}", Gate(office, Role::kAdministrator, OpenDatasetPage));
  router.Add("POST", "/verwaltung/offene-daten/{id}", Gate(office, Role::kAdministrator, OpenDatasetPage));
  router.Add("GET", "/verwaltung/protokoll", Gate(office, Role::kAdministrator, AuditPage));
  router.Add("GET", "/verwaltung/protokoll.csv", Gate(office, Role::kAdministrator, AuditCsv));
}

}  // namespace datenwerk::verwaltung
