// Multipart bodies and embedded requests as OData 4.0 batches carry them.
#include "http/multipart.h"
#include "http/form_data.h"

#include <gtest/gtest.h>

namespace datenwerk::http {
namespace {

TEST(MultipartTest, BoundariesAndMediaTypes) {
  EXPECT_EQ(BoundaryOf("multipart/mixed;boundary=batch_1"), "batch_1");
  EXPECT_EQ(BoundaryOf("multipart/mixed; charset=x; Boundary=\"a b\""), "a b");
  EXPECT_FALSE(BoundaryOf("multipart/mixed"));
  EXPECT_FALSE(BoundaryOf("multipart/mixed; boundary=" + std::string(71, 'x')));
  EXPECT_EQ(MediaType(" Multipart/Mixed ; boundary=x"), "multipart/mixed");
}

TEST(MultipartTest, PartsBetweenDelimitersWithCrlfOrLf) {
  const std::string body =
      "preamble\r\n--b\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nGET Things HTTP/1.1\r\n\r\n\r\n"
      "--b\nContent-Type: text/plain\n\nzwei\n--b--\r\nepilogue";
  auto parts = SplitMultipart(body, "b", "body");
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].headers.at("content-id"), "1");
  EXPECT_EQ((*parts)[0].body, "GET Things HTTP/1.1\r\n\r\n");
  EXPECT_EQ((*parts)[1].body, "zwei");
  auto request = ParseEmbeddedRequest((*parts)[0].body, "part");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->target, "Things");
  EXPECT_EQ(request->body, "");
}

TEST(MultipartTest, EmbeddedRequestsKeepTheirBodies) {
  auto request = ParseEmbeddedRequest(
      "POST /v1.1/Things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n{\"a\":\r\n1}", "p");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->headers.at("content-type"), "application/json");
  EXPECT_EQ(request->body, "{\"a\":\r\n1}");
}

TEST(MultipartTest, MalformedBodiesAreErrorsNamingWhere) {
  EXPECT_EQ(SplitMultipart("--b\r\nContent-Type: x\r\n\r\nno end", "b", "body").status().field(), "body");
  EXPECT_EQ(SplitMultipart("--b\r\nkein header\r\n\r\nx\r\n--b--", "b", "body").status().field(), "body[0]");
  EXPECT_FALSE(ParseEmbeddedRequest("GET Things\r\n\r\n", "p").ok());
  EXPECT_FALSE(ParseEmbeddedRequest("", "p").ok());
  std::string many;
  for (size_t i = 0; i <= kMaxParts; ++i) many += "--b\r\n\r\n";
  many += "--b--";
  EXPECT_FALSE(SplitMultipart(many, "b", "body").ok());
}

TEST(MultipartTest, ReasonPhrases) {
  EXPECT_EQ(ReasonPhrase(201), "Created");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(299), "Unknown");
}

// multipart/form-data as browsers and Open311 clients post it.
TEST(FormDataTest, FieldsInOrderFilesApartEmptyFileInputsLeftOut) {
  const std::string type = "multipart/form-data; boundary=----WebKitFormBoundaryX";
  static constexpr char kBody[] =
      "------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"merkmal\"\r\n\r\na\r\n"
      "------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"merkmal\"\r\n\r\nb\r\n"
      "------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"IMG 1.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\xFF\xD8\r\n--\x00\xFF\xD9\r\n"
      "------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n"
      "------WebKitFormBoundaryX--\r\n";
  auto form = ParseFormData(type, std::string_view(kBody, sizeof(kBody) - 1));
  ASSERT_TRUE(form.ok()) << form.status().message();
  ASSERT_EQ(form->fields.size(), 2u);
  EXPECT_EQ(form->fields[1], (std::pair<std::string, std::string>{"merkmal", "b"}));
  ASSERT_EQ(form->files.size(), 1u);  // the empty file input is not a file
  EXPECT_EQ(form->files[0].file_name, "IMG 1.jpg");
  EXPECT_EQ(form->files[0].content, std::string("\xFF\xD8\r\n--\x00\xFF\xD9", 9));
}

TEST(FormDataTest, MalformedOrOversizedBodiesAreRefusedNamingTheField) {
  const std::string type = "multipart/form-data; boundary=b";
  for (const std::string& body : {std::string(""), std::string("--b\r\nno headers end"),
                                  std::string("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated"),
                                  std::string("--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--"),
                                  std::string("--bXX")}) {
    EXPECT_FALSE(ParseFormData(type, body).ok()) << body;
  }
  EXPECT_FALSE(ParseFormData("multipart/form-data", "--b--").ok());
  EXPECT_FALSE(ParseFormData("application/json", "--b--").ok());
  auto bad_text = ParseFormData(type, "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n\xC3\x28\r\n--b--");
  ASSERT_FALSE(bad_text.ok());
  EXPECT_EQ(bad_text.status().field(), "text");
  std::string many;
  for (int i = 0; i < 31; ++i) many += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n";
  EXPECT_FALSE(ParseFormData(type, many + "--b--").ok());
  EXPECT_TRUE(ParseFormData(type, "--b--").ok());
}

}  // namespace
}  // namespace datenwerk::http
