#include "core/catalogue_import.h"

#include <gtest/gtest.h>

#include "core/catalogue.h"
#include "test_data.h"

namespace datenwerk {
namespace {

using testing::BochumFiles;

TEST(CatalogueImportTest, LoadsTheWholeBochumCatalogue) {
  auto data = ParseCatalogue(BochumFiles());
  ASSERT_TRUE(data.ok()) << data.status().field() << ": " << data.status().message();
  EXPECT_EQ(data->themes.size(), 5u);
  EXPECT_EQ(data->fields.size(), 15u);
  EXPECT_EQ(data->measures.size(), 101u);
  EXPECT_EQ(data->kpis.size(), 130u);
  EXPECT_EQ(data->values.size(), 6u);         // known values that belong to a KPI
  EXPECT_EQ(data->context_facts.size(), 8u);  // the others
  EXPECT_EQ(data->public_indicators.size(), 17u);
}

TEST(CatalogueImportTest, KeepsPrintedIdsAnomaliesAndKpisOfMissingMeasures) {
  Catalogue c(ParseCatalogue(BochumFiles()).value());
  const Kpi* k = c.FindKpi("SCBOK-ZI-KI-K1.1");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->id_as_printed, "SCBOK-ZI-KI-1.1");
  EXPECT_EQ(k->anomaly, "printed without K before the measure number");
  EXPECT_EQ(c.FindMeasure("IWW-TG-5")->id_as_printed, "WW-TG-5");

  auto missing = c.KpisWithMissingMeasure();
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0]->id, "SCBOK-NMU-NIM-K11");
  EXPECT_EQ(missing[1]->id, "SCBOK-ZI-NI-K7.2");

  const Kpi* shared = c.FindKpi("SCBOK-ZI-NI-K6.1");
  EXPECT_EQ(shared->references, (std::vector<std::string>{"UN", "EU"}));
  EXPECT_EQ(c.FindKpi("SCBOK-ZI-NI-K1.3")->sdg_targets,
            (std::vector<std::string>{"17.8.1", "9.C.1", "5.B.1"}));
}

TEST(CatalogueImportTest, KnownValuesKeepQualifierSourceAndDate) {
  Catalogue c(ParseCatalogue(BochumFiles()).value());
  const KpiValue* v = c.LatestValue("SCBOK-ZI-KI-K2.4");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v->value, 14000);
  EXPECT_EQ(v->qualifier, Qualifier::kApprox);
  EXPECT_EQ(v->date, "2022-11-30");
  EXPECT_EQ(v->unit, "Meldungen/Jahr");
  EXPECT_EQ(v->source, "002 Smart City Bochum Konzept (5.1.3)");
}

struct BadRow {
  const char* file;
  const char* find;
  const char* replace;
  const char* where;  // expected status field
  const char* message_part;
};

class CatalogueImportErrorTest : public ::testing::TestWithParam<BadRow> {};

TEST_P(CatalogueImportErrorTest, ReportsFileLineAndReason) {
  const BadRow& bad = GetParam();
  CatalogueFiles files = BochumFiles();
  std::string& text = files[bad.file];
  size_t at = text.find(bad.find);
  ASSERT_NE(at, std::string::npos) << bad.find;
  text.replace(at, std::string(bad.find).size(), bad.replace);
  auto data = ParseCatalogue(files);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().field(), bad.where);
  EXPECT_NE(data.status().message().find(bad.message_part), std::string::npos)
      << data.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    MalformedRows, CatalogueImportErrorTest,
    ::testing::Values(
        BadRow{"fields.csv", "ZI-DI,ZI,", "ZI-DI,XX,", "fields.csv:3", "unknown theme"},
        BadRow{"kpis.csv", "SCBOK-ZI-NI-K1.2,ZI-NI,", "SCBOK-ZI-NI-K1.2,NOPE,", "kpis.csv:3",
               "unknown field"},
        BadRow{"kpis.csv", "SCBOK-ZI-NI-K1.2,ZI-NI,measure", "SCBOK-ZI-NI-K1.1,ZI-NI,measure",
               "kpis.csv:3", "duplicate id"},
        BadRow{"kpis.csv", "ZI-NI-1,Anteil von Haushalten mit Breitband-Internetzugang mit einer "
                           "Geschwindigkeit von > 100 Mbit/s,EIGENE",
               "ZI-NI-1,Anteil,WHO", "kpis.csv:3", "reference must be"},
        BadRow{"kpis.csv", "17.6.1;17.8.1", "17.6.1;99.1", "kpis.csv:2", "not an SDG target"},
        BadRow{"kpis.csv", "SCBOK-ZI-NI-K1.1,ZI-NI,measure", "SCBOK-ZI-NI-K1.1,ZI-NI,theme",
               "kpis.csv:2", "scope must be"},
        BadRow{"kpis.csv", "SCBOK-ZI-NI-K1.1,ZI-NI,measure,ZI-NI-1",
               "SCBOK-ZI-NI-K1.1,ZI-NI,measure,ZI-DI-1", "kpis.csv:2", "belongs to field"},
        BadRow{"measures.csv", ",2016-2025,In Umsetzung,", ",2016-2025,Vielleicht,",
               "measures.csv:2", "unknown status"},
        BadRow{"known_values.csv", "SCBOK-NMU-KK-K1.2,23,", "SCBOK-NMU-KK-K1.2,dreiundzwanzig,",
               "known_values.csv:2", "not a number"},
        BadRow{"known_values.csv", "2022-06-30,exact", "2022-06-31,exact", "known_values.csv:2",
               "not a date"},
        BadRow{"known_values.csv", "2022-06-30,exact", "2022-06-30,roughly",
               "known_values.csv:2", "qualifier"},
        BadRow{"known_values.csv", "SCBOK-NMU-KK-K1.2,23,", "SCBOK-NMU-KK-K99,23,",
               "known_values.csv:2", "unknown KPI"},
        BadRow{"public_indicators.csv", "participation-formats,DG,", "participation-formats,XX,",
               "public_indicators.csv:2", "unknown theme"},
        BadRow{"themes.csv", "theme_id,name", "theme_id,title", "themes.csv:1",
               "missing column 'name'"},
        BadRow{"themes.csv", "ZI,Zukunftsfähige Infrastruktur",
               "ZI,Zukunftsfähige Infrastruktur,extra", "themes.csv:2", "cells"}));

TEST(CatalogueImportTest, MissingFileIsNamed) {
  CatalogueFiles files = BochumFiles();
  files.erase("kpis.csv");
  auto data = ParseCatalogue(files);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().field(), "kpis.csv");
}

}  // namespace
}  // namespace datenwerk
