// BürgerEcho's public pages, in German, readable and usable without JavaScript: the list of
// reports with filters, the report form (first the category, then its questions), the answer
// after filing with the private link, each report's page with its history, and the reporter's
// private page where a report marked done is confirmed or reopened. Pure renderers: the routes
// supply reports, history and services. Personal data: the e-mail never appears; the name only
// when the reporter asked for it to be shown.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "echo/report.h"
#include "echo/report_store.h"
#include "echo/services.h"
#include "http/message.h"
#include "web/layout.h"

namespace datenwerk::echo {

struct ListView {
  std::vector<Report> reports;  // this page
  int64_t total = 0;
  int64_t page = 1, pages = 1;
  std::vector<std::string> districts;  // for the filter
};
http::Response ReportListPage(const ListView& view, const Services& services, const http::Request& request,
                              const web::PortalOptions& portal);

// What the form holds (as typed) and what is wrong with it, field by field (German).
struct FormState {
  std::map<std::string, std::vector<std::string>> values;  // field name -> values
  std::map<std::string, std::string> errors;               // field name -> message
  bool photos_dropped = false;  // photos came with a form that is shown again: ask for them anew
  std::vector<Report> nearby;   // open reports of the category close by: "already reported?"
};
// A page of BürgerEcho: its title, the navigation and the breadcrumbs to /buergerecho.
web::Page EchoPage(std::string title);
// The helpers every BürgerEcho form uses: a field's first value as typed, the aria attributes
// and the message of a field with an error (ids "fehler-<name>"), and the summary of all
// errors at the top, linking to "#feld-<name>".
std::string FormFirst(const FormState& s, const std::string& name);
// `hint`: the id of the field's help text, named in the same aria-describedby (an element
// has one such attribute: a second would be ignored, and with it the error).
std::string FormInvalid(const FormState& s, const std::string& name, const std::string& hint = "");
std::string FormErrorText(const FormState& s, const std::string& name);
std::string ErrorSummary(const FormState& s);
// 429 in German with Retry-After: this client sent too much in a short time.
http::Response BusyPage(int64_t wait_ms, const web::PortalOptions& portal);

// Without `category` the first step (choose one); with it the full form.
// `retention_days`: how long after closing the reporter's address and name are kept (told there).
http::Response ReportFormPage(const Services& services, const Category* category, const FormState& state,
                              int retention_days, const web::PortalOptions& portal);
// The German message for a refused report, by the field CheckNewReport or Route named.
std::string GermanProblem(const datenwerk::Status& status);

http::Response ReportCreatedPage(const Report& report, const Services& services, const web::PortalOptions& portal);

// `private_view`: the reporter's page (with the confirm and reopen forms while allowed).
http::Response ReportPage(const Report& report, const std::vector<ReportEvent>& history, const Services& services,
                          bool private_view, bool may_answer, const std::string& notice,
                          const web::PortalOptions& portal);

}  // namespace datenwerk::echo
