#include "web/html.h"

#include <gtest/gtest.h>

namespace datenwerk::web {
namespace {

TEST(HtmlTest, EscapesMarkupCharacters) {
  EXPECT_EQ(Escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;");
}

TEST(HtmlTest, FormatsNumbersTheGermanWay) {
  EXPECT_EQ(GermanNumber(25000000), "25.000.000");
  EXPECT_EQ(GermanNumber(1.5), "1,5");
  EXPECT_EQ(GermanNumber(-0.25), "-0,25");
  EXPECT_EQ(GermanNumber(999), "999");
  EXPECT_EQ(GermanNumber(1000), "1.000");
  EXPECT_EQ(GermanNumber(0), "0");
  EXPECT_EQ(GermanNumber(12345.6789), "12.345,679");
}

TEST(HtmlTest, ValueTextCarriesQualifierAndUnit) {
  EXPECT_EQ(ValueText(14000, Qualifier::kApprox, "Meldungen/Jahr"), "ca. 14.000 Meldungen/Jahr");
  EXPECT_EQ(ValueText(9, Qualifier::kAtLeast, "Hotspots"), "mindestens 9 Hotspots");
  EXPECT_EQ(ValueText(std::nullopt, Qualifier::kExact, "x"), "nicht berichtet");
}

TEST(HtmlTest, LinksEncodeIds) { EXPECT_EQ(Url("/indikatoren/", "A B/C"), "/indikatoren/A%20B%2FC"); }

}  // namespace
}  // namespace datenwerk::web
