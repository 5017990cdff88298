#include "core/csv.h"

#include <gtest/gtest.h>

namespace datenwerk {
namespace {

TEST(CsvTest, ParsesQuotedCellsWithCommasNewlinesAndQuotes) {
  auto t = ParseCsv("a,b\n\"x, y\",\"line1\nline2 \"\"q\"\"\"\n3,4\n", "t.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].cells[0], "x, y");
  EXPECT_EQ(t->rows[0].cells[1], "line1\nline2 \"q\"");
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->rows[1].line, 4);  // the quoted newline advanced the line count
}

TEST(CsvTest, HandlesCrLfAndByteOrderMarkAndMissingFinalNewline) {
  auto t = ParseCsv("\xEF\xBB\xBFid,name\r\n1,a\r\n2,b", "t.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->header[0], "id");
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1].cells[1], "b");
}

TEST(CsvTest, ReportsFileAndLineOfWrongCellCount) {
  auto t = ParseCsv("a,b\n1,2\n1,2,3\n", "kpis.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().field(), "kpis.csv:3");
}

TEST(CsvTest, RejectsUnterminatedQuote) {
  auto t = ParseCsv("a\n\"open\n", "x.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.status().field(), "x.csv:2");
}

TEST(CsvTest, RejectsEmptyFile) { EXPECT_FALSE(ParseCsv("", "e.csv").ok()); }

TEST(CsvTest, WritesAndReadsBackTheSameCells) {
  std::vector<std::string> cells = {"plain", "with,comma", "with \"quote\"", "two\nlines", ""};
  std::string text;
  AppendCsvRow(text, {"a", "b", "c", "d", "e"});
  AppendCsvRow(text, cells);
  auto t = ParseCsv(text, "round.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows[0].cells, cells);
}

}  // namespace
}  // namespace datenwerk
