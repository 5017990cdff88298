// The back office's pure parts: forms, cookies, the value form, German numbers, safe CSV cells.
#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/dates.h"
#include "core/german_number.h"
#include "verwaltung/form.h"
#include "verwaltung/value_form.h"

namespace datenwerk::verwaltung {
namespace {

TEST(FormTest, UrlEncodedBodiesAreDecodedAndBounded) {
  auto form = ParseForm("email=anna%40bochum.de&passwort=a+b%26c&leer=&email=zweite");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->at("email"), "anna@bochum.de");
  EXPECT_EQ(form->at("passwort"), "a b&c");
  EXPECT_EQ(form->at("leer"), "");
  EXPECT_FALSE(ParseForm("a=%zz").ok());
  EXPECT_FALSE(ParseForm("a=%C3%28").ok());  // not UTF-8
  EXPECT_FALSE(ParseForm("a=%00").ok());     // a NUL byte
  std::string many;
  for (int i = 0; i < 201; ++i) many += "f" + std::to_string(i) + "=1&";
  EXPECT_FALSE(ParseForm(many).ok());
  EXPECT_FALSE(ParseForm(std::string(101, 'n') + "=1").ok());
  EXPECT_TRUE(ParseForm("text=Gr%C3%BC%C3%9Fe%0D%0Azeile").ok());
}

TEST(FormTest, DatesInGermanOrIsoForm) {
  EXPECT_EQ(ParseGermanOrIsoDate("31.12.2024").value(), "2024-12-31");
  EXPECT_EQ(ParseGermanOrIsoDate(" 1.2.2024 ").value(), "2024-02-01");
  EXPECT_EQ(ParseGermanOrIsoDate("2024-02-29").value(), "2024-02-29");
  for (const char* bad : {"", "31.02.2024", "2023-02-29", "1.1.24", "123.1.2024", "31.12.", "heute", "2024-1-1"}) {
    EXPECT_FALSE(ParseGermanOrIsoDate(bad)) << bad;
  }
  EXPECT_EQ(FormatLocalNumber(1234.5), "1234,5");
  EXPECT_EQ(FormatLocalNumber(0.123456789), "0,123456789");
}

TEST(FormTest, CookiesAreSplitAndTheFirstWins) {
  auto cookies = ParseCookies("dw_sitzung=abc; other=1;dw_sitzung=evil; broken; =x");
  EXPECT_EQ(cookies.at("dw_sitzung"), "abc");
  EXPECT_EQ(cookies.at("other"), "1");
  EXPECT_EQ(cookies.count("broken"), 0u);
}

TEST(FormTest, CleanTextIsUtf8WithoutControlCharacters) {
  EXPECT_TRUE(IsCleanText("Grüße\tund\r\nmehr €"));
  EXPECT_FALSE(IsCleanText("\xE4"));          // Latin-1 ä
  EXPECT_FALSE(IsCleanText("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsCleanText("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsCleanText("a\x1b[31m"));
}

TEST(FormTest, FieldsCarryTheirErrorAndEscapeTheValue) {
  std::string html = InputField({"wert", "Wert", "number-text", "Mit Dezimalkomma", true}, "\"><script>",
                                {{"wert", "Der Wert ist keine Zahl."}});
  EXPECT_NE(html.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"f-wert-hinweis f-wert-fehler\""), std::string::npos);
  EXPECT_NE(html.find("Der Wert ist keine Zahl."), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(ErrorSummary({{"wert", "x"}}, {"datum", "wert"}).find("href=\"#f-wert\""), std::string::npos);
  EXPECT_EQ(ErrorSummary({}, {}), "");
}

TEST(ValueFormTest, ReadsGermanInputAndNamesEveryProblem) {
  KpiValue v;
  auto errors = ReadValueForm({{"datum", "31.12.2024"}, {"wert", "1.234,5"}, {"angabe", "approx"}, {"quelle", " Amt "}}, v);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(v.date, "2024-12-31");
  EXPECT_DOUBLE_EQ(*v.value, 1234.5);
  EXPECT_EQ(v.qualifier, Qualifier::kApprox);
  EXPECT_EQ(v.source, "Amt");
  KpiValue w;
  errors = ReadValueForm({{"datum", "31.02.2024"}, {"wert", "=1+2"}, {"angabe", "fast"},
                          {"anmerkung", std::string(2001, 'x')}},
                         w);
  EXPECT_EQ(errors.size(), 4u);
  EXPECT_NE(errors.at("datum").find("ungültig"), std::string::npos);
  EXPECT_NE(errors.at("wert").find("keine Zahl"), std::string::npos);
  KpiValue n;
  EXPECT_TRUE(ReadValueForm({{"datum", "2024-12-31"}, {"nicht_berichtet", "1"}}, n).empty());
  EXPECT_FALSE(n.value);
  EXPECT_EQ(ReadValueForm({{"datum", "2024-12-31"}}, n).count("wert"), 1u);
  // What a correction form shows first is what is published, in German notation.
  KpiValue published;
  published.date = "2024-12-31";
  published.value = 0.25;
  EXPECT_EQ(FormOf(published).at("wert"), "0,25");
}

TEST(GermanNumberTest, CommasDotsAndGroups) {
  EXPECT_DOUBLE_EQ(*ParseLocalNumber("1.234,5"), 1234.5);
  EXPECT_DOUBLE_EQ(*ParseLocalNumber("1234,5"), 1234.5);
  EXPECT_DOUBLE_EQ(*ParseLocalNumber("12.5"), 12.5);
  EXPECT_DOUBLE_EQ(*ParseLocalNumber("1.234.567"), 1234567);
  EXPECT_DOUBLE_EQ(*ParseLocalNumber("-0,25"), -0.25);
  EXPECT_DOUBLE_EQ(*ParseLocalNumber(" 25 000 "), 25000);
  EXPECT_DOUBLE_EQ(*ParseLocalNumber("25\xE2\x80\xAF" "000"), 25000);
  for (const char* bad : {"", ",", "1,2,3", "1.23,4", "12,", "abc", "1e400", "nan", "1,5e3"}) {
    EXPECT_FALSE(ParseLocalNumber(bad)) << bad;
  }
}

TEST(SpreadsheetSafeTest, FormulasBecomeTextNumbersStay) {
  EXPECT_EQ(SpreadsheetSafe("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(SpreadsheetSafe("+49 234 910"), "'+49 234 910");
  EXPECT_EQ(SpreadsheetSafe("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(SpreadsheetSafe("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
  EXPECT_EQ(SpreadsheetSafe("\t=1"), "'\t=1");
  EXPECT_EQ(SpreadsheetSafe("-5"), "-5");
  EXPECT_EQ(SpreadsheetSafe("-1.234,5"), "-1.234,5");
  EXPECT_EQ(SpreadsheetSafe("Umweltamt"), "Umweltamt");
}

}  // namespace
}  // namespace datenwerk::verwaltung
