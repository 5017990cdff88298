// Spreadsheet import and export: encodings, separators, German numbers, every row's fate with its
// line number, and exports that keep formulas as text.
#include <gtest/gtest.h>

#include "core/catalogue_import.h"
#include "sheets/encoding.h"
#include "sheets/figures.h"
#include "sheets/value_sheet.h"
#include "test_data.h"

namespace datenwerk::sheets {
namespace {

TEST(EncodingTest, Utf8Windows1252AndUtf16BecomeUtf8) {
  auto utf8 = DecodeText("\xEF\xBB\xBFGr\xC3\xB6\xC3\x9F" "e");
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(utf8->text, "Größe");
  EXPECT_EQ(utf8->encoding, "UTF-8");
  auto ansi = DecodeText("Gr\xF6\xDF" "e \x80 \x84" "Anf\x93");
  ASSERT_TRUE(ansi.ok());
  EXPECT_EQ(ansi->text, "Größe € „Anf“");
  EXPECT_EQ(ansi->encoding, "Windows-1252");
  auto utf16 = DecodeText(std::string("\xFF\xFE" "G\0r\0\xF6\0\x3D\xD8\x00\xDE", 12));
  ASSERT_TRUE(utf16.ok());
  EXPECT_EQ(utf16->text, "Grö\xF0\x9F\x98\x80");
  EXPECT_FALSE(DecodeText("a\x81" "b").ok());               // unassigned in Windows-1252
  EXPECT_FALSE(DecodeText(std::string("PK\x03\x04\0\0", 6)).ok());  // a zip (an XLSX), not text
  EXPECT_FALSE(DecodeText(std::string("\xFF\xFE" "a", 3)).ok());
}

class ValueSheetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CatalogueData data = ParseCatalogue(testing::BochumFiles()).value();
    int64_t id = 0;
    for (KpiValue& v : data.values) v.id = ++id;  // as a store numbers them
    catalogue_ = std::make_unique<Catalogue>(std::move(data));
  }
  ImportRules Rules(std::string allowed_field = "") {
    return {[allowed_field](const Kpi& k) { return allowed_field.empty() || k.field_id == allowed_field; },
            [](const std::string&, int64_t) { return false; }};
  }
  std::unique_ptr<Catalogue> catalogue_;
};

TEST_F(ValueSheetTest, GermanSpreadsheetsAreReadRowByRow) {
  // Semicolons, decimal commas, German dates and words, columns in another order, an empty row.
  const std::string file =
      "Stichtag;Kennung;Wert;Einheit;Genauigkeit;Quelle\r\n"
      "31.12.2024;SCBOK-NMU-KK-K1.2;1.234,5;Sensoren;ca.;Umweltamt\r\n"
      ";;;;;\r\n"
      "30.06.2022;SCBOK-NMU-KK-K1.2;23;Sensoren;genau;002 Smart City Bochum Konzept (5.4.3)\r\n"
      "2025-03-31;SCBOK-ZI-NI-K1.1;nicht berichtet;;;\r\n";
  auto plan = PlanValueImport(file, *catalogue_, Rules());
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->separator, ';');
  ASSERT_EQ(plan->rows.size(), 3u);
  EXPECT_EQ(plan->rows[0].line, 2);
  EXPECT_EQ(plan->rows[0].outcome, RowOutcome::kNew);
  EXPECT_DOUBLE_EQ(*plan->rows[0].value.value, 1234.5);
  EXPECT_EQ(plan->rows[0].value.date, "2024-12-31");
  EXPECT_EQ(plan->rows[0].value.qualifier, Qualifier::kApprox);
  EXPECT_EQ(plan->rows[1].line, 4);
  EXPECT_EQ(plan->rows[1].outcome, RowOutcome::kChange);  // the catalogue's value has a note
  EXPECT_GT(plan->rows[1].value.id, 0);
  EXPECT_EQ(plan->rows[2].outcome, RowOutcome::kNew);
  EXPECT_FALSE(plan->rows[2].value.value);
  EXPECT_EQ(plan->new_rows, 2);
  EXPECT_EQ(plan->changed_rows, 1);
}

TEST_F(ValueSheetTest, EveryBadRowSaysWhatIsWrong) {
  const std::string file =
      "kpi_id,date,value,note\n"
      "SCBOK-NMU-KK-K1.2,2024-12-31,5,ok\n"
      "NICHT-DA,2024-12-31,5,\n"
      "SCBOK-NMU-KK-K1.2,31.02.2024,5,\n"
      "SCBOK-NMU-KK-K1.2,2024-11-30,fünf,\n"
      "SCBOK-NMU-KK-K1.2,2024-12-31,6,doppelt\n"
      "SCBOK-NMU-KK-K1.2,2024-10-31,7,\"=HYPERLINK(\"\"http://x\"\")\"\n"
      "SCBOK-ZI-NI-K1.1,2024-10-31,7,\n"
      "SCBOK-NMU-KK-K1.2,2024-09-30,,\n";
  auto plan = PlanValueImport(file, *catalogue_, Rules("NMU-KK"));
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->rows.size(), 8u);
  EXPECT_EQ(plan->error_rows, 7);
  const std::vector<std::pair<int, std::string>> expected = {
      {3, "gibt es nicht"}, {4, "kein gültiges Datum"}, {5, "keine Zahl"}, {6, "schon in Zeile 2"},
      {7, "Formel"},        {8, "keine Werte eintragen"}, {9, "nicht berichtet"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    const ImportRow& row = plan->rows[i + 1];
    EXPECT_EQ(row.line, expected[i].first);
    EXPECT_EQ(row.outcome, RowOutcome::kError);
    EXPECT_NE(row.error.find(expected[i].second), std::string::npos) << row.line << ": " << row.error;
  }
}

TEST_F(ValueSheetTest, FileProblemsNameTheLine) {
  auto rules = Rules();
  EXPECT_NE(PlanValueImport("Kennung;Stichtag\n", *catalogue_, rules).status().message().find("„Wert“ fehlt"),
            std::string::npos);
  EXPECT_NE(PlanValueImport("Kennung;Stichtag;Wert;Farbe\nA;B;C;D\n", *catalogue_, rules).status().message().find("Farbe"),
            std::string::npos);
  auto ragged = PlanValueImport("Kennung;Stichtag;Wert\nA;B;C\nA;B\n", *catalogue_, rules);
  EXPECT_EQ(ragged.status().field(), "Zeile 3");
  EXPECT_NE(ragged.status().message().find("Zeile 3"), std::string::npos);
  EXPECT_NE(PlanValueImport("Kennung;Stichtag;Wert\n\"A;B;C\n", *catalogue_, rules).status().message().find("Anführungszeichen"),
            std::string::npos);
  EXPECT_NE(PlanValueImport("", *catalogue_, rules).status().message().find("leer"), std::string::npos);
  EXPECT_NE(PlanValueImport("Kennung;Stichtag;Wert\n", *catalogue_, rules).status().message().find("keine Werte"),
            std::string::npos);
  std::string huge = "Kennung;Stichtag;Wert\n";
  for (size_t i = 0; i <= kMaxImportRows; ++i) huge += "SCBOK-NMU-KK-K1.2;31.12.2024;1\n";
  EXPECT_NE(PlanValueImport(huge, *catalogue_, rules).status().message().find("höchstens 50000"), std::string::npos);
}

TEST_F(ValueSheetTest, UnchangedRowsArePlannedAsNothing) {
  auto plan = PlanValueImport(ImportTemplate(), *catalogue_, Rules());
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->new_rows, 1);
  const KpiValue* known = catalogue_->LatestValue("SCBOK-NMU-KK-K1.2");
  std::string same = "Kennung;Stichtag;Wert;Einheit;Genauigkeit;Quelle;Anmerkung\nSCBOK-NMU-KK-K1.2;30.06.2022;23;" +
                     known->unit + ";genau;" + known->source + ";\"" + known->note + "\"\n";
  auto unchanged = PlanValueImport(same, *catalogue_, Rules());
  ASSERT_TRUE(unchanged.ok()) << unchanged.status().message();
  EXPECT_EQ(unchanged->unchanged_rows, 1);
}

TEST(FiguresTest, CsvForGermanSpreadsheetsKeepsFormulasAsText) {
  Table t{"T", {"Text", "Zahl"}, {{Cell::Text("=HYPERLINK(\"http://x\")"), Cell::Number(1234.5)},
                                  {Cell::Text("@SUM(A1)"), Cell::Number(-0.25)}}};
  std::string csv = ToGermanCsv(t);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFText;Zahl\r\n", 0), 0u);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\";1234,5\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("'@SUM(A1);-0,25\r\n"), std::string::npos) << csv;
  auto xlsx = ToXlsx({t});
  ASSERT_TRUE(xlsx.ok());
  EXPECT_EQ(xlsx->rfind("PK\x03\x04", 0), 0u);  // a zip, as XLSX files are
  EXPECT_GT(xlsx->size(), 3000u);
}

TEST(FiguresTest, TheReportTablesCoverEveryKpiAndValue) {
  Catalogue c(ParseCatalogue(testing::BochumFiles()).value());
  Table kpis = KpiFigures(c);
  EXPECT_EQ(kpis.rows.size(), c.data().kpis.size());
  EXPECT_EQ(kpis.rows[0].size(), kpis.header.size());
  Table values = AllValues(c);
  EXPECT_EQ(values.rows.size(), c.data().values.size());
}

}  // namespace
}  // namespace datenwerk::sheets
