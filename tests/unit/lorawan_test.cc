#include "sensors/lorawan.h"

#include <gtest/gtest.h>

namespace datenwerk::sensors {
namespace {

// ChirpStack v4 HTTP/MQTT integration, uplink event in the protobuf JSON mapping: camelCase,
// fCnt 0 omitted, nanosecond time with an offset.
constexpr const char* kChirpStackUp = R"({
  "deduplicationId": "3ac7e3c4-4401-4b8d-9386-a5c902f9202d",
  "time": "2022-07-18T09:34:15.775023242+00:00",
  "deviceInfo": {
    "tenantId": "52f14cd4-c6f1-4fbd-8f87-4025e1d49242", "tenantName": "ChirpStack",
    "applicationId": "17c82e96-be03-4f38-aef3-f83d48582d97", "applicationName": "Klima",
    "deviceProfileId": "14855bf7-d10d-4aee-b618-ebfcb64dc7ad", "deviceProfileName": "Boden",
    "deviceName": "bodenfeuchte-westpark-3", "devEui": "0101010101010a0b", "tags": {"ort": "Westpark"}
  },
  "devAddr": "00189440", "dr": 1, "fPort": 1, "data": "AWcA/wJoYA==",
  "object": {"soilMoisture": 23.5, "battery": {"voltage": 3.61, "low": false}, "label": "x", "list": [1, 2]},
  "rxInfo": [{"gatewayId": "0016c001f153a14c", "uplinkId": 4217106255, "rssi": -36, "snr": 10.5}],
  "txInfo": {"frequency": 867100000, "modulation": {"lora": {"bandwidth": 125000, "spreadingFactor": 11, "codeRate": "CR_4_5"}}}
})";

// The Things Stack v3 webhook / MQTT uplink: snake_case, empty fields omitted.
constexpr const char* kTtsUp = R"({
  "end_device_ids": {"device_id": "pegel-ruhr-1", "application_ids": {"application_id": "bochum-klima"},
                     "dev_eui": "0004A30B001C0530", "join_eui": "800000000000000C", "dev_addr": "00BCB929"},
  "correlation_ids": ["as:up:01E0WZGT2ACPRMQHE9XG2HDJ3T"],
  "received_at": "2020-02-12T15:15:45.787Z",
  "uplink_message": {
    "session_key_id": "AXBSH1Pk6Z0G166UlBdcw==", "f_port": 15, "f_cnt": 7, "frm_payload": "AYgGdl/ylgoAA+g=",
    "decoded_payload": {"water_level_cm": 182},
    "rx_metadata": [{"gateway_ids": {"gateway_id": "gtw1"}, "rssi": -59, "channel_rssi": -59, "snr": 11.2}],
    "settings": {"data_rate": {"lora": {"bandwidth": 125000, "spreading_factor": 7}}, "frequency": "868500000"},
    "received_at": "2020-02-12T15:15:45.783Z"
  }
})";

const FieldValue* Find(const Fields& fields, const std::string& name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return &v;
  }
  ADD_FAILURE() << "no field " << name;
  return nullptr;
}

double Field(const Fields& fields, const std::string& name) {
  const FieldValue* v = Find(fields, name);
  if (!v || !std::holds_alternative<double>(*v)) {
    ADD_FAILURE() << name << " is not a number";
    return 0;
  }
  return std::get<double>(*v);
}

TEST(LorawanTest, ParsesAChirpStackV4Uplink) {
  auto up = ParseChirpStackUplink(kChirpStackUp);
  ASSERT_TRUE(up.ok()) << up.status().field() << ": " << up.status().message();
  EXPECT_EQ(up->dev_eui, "0101010101010A0B");
  EXPECT_EQ(up->device_id, "bodenfeuchte-westpark-3");
  EXPECT_EQ(up->application_id, "17c82e96-be03-4f38-aef3-f83d48582d97");
  EXPECT_EQ(up->f_cnt, 0u);  // omitted zero
  EXPECT_EQ(up->f_port, 1u);
  EXPECT_EQ(up->time_ms, 1658136855775);
  EXPECT_EQ(up->payload, std::string("\x01\x67\x00\xff\x02\x68\x60", 7));
  ASSERT_TRUE(up->has_decoded);
  EXPECT_EQ(Field(up->decoded, "soilMoisture"), 23.5);
  EXPECT_EQ(Field(up->decoded, "battery.voltage"), 3.61);
  EXPECT_EQ(*Find(up->decoded, "battery.low"), FieldValue(false));  // a boolean stays one
  EXPECT_EQ(*Find(up->decoded, "label"), FieldValue(std::string("x")));  // so does a text
  EXPECT_EQ(up->decoded.size(), 4u);  // arrays carry no reading
  ASSERT_EQ(up->gateways.size(), 1u);
  EXPECT_EQ(up->gateways[0].gateway_id, "0016c001f153a14c");
  EXPECT_EQ(up->gateways[0].rssi, -36);
  EXPECT_EQ(up->gateways[0].snr, 10.5);
}

TEST(LorawanTest, ParsesATheThingsStackV3Uplink) {
  auto parsed = ParseTheThingsStackUplink(kTtsUp);
  ASSERT_TRUE(parsed.ok()) << parsed.status().field() << ": " << parsed.status().message();
  ASSERT_TRUE(*parsed);
  const Uplink* up = &**parsed;
  EXPECT_EQ(up->dev_eui, "0004A30B001C0530");
  EXPECT_EQ(up->device_id, "pegel-ruhr-1");
  EXPECT_EQ(up->application_id, "bochum-klima");
  EXPECT_EQ(up->f_cnt, 7u);
  EXPECT_EQ(up->f_port, 15u);
  EXPECT_EQ(up->time_ms, 1581520545783);  // the uplink's own reception time
  EXPECT_EQ(Field(up->decoded, "water_level_cm"), 182);
  ASSERT_EQ(up->gateways.size(), 1u);
  EXPECT_EQ(up->gateways[0].gateway_id, "gtw1");
  EXPECT_EQ(up->gateways[0].rssi, -59);
  EXPECT_EQ(up->gateways[0].snr, 11.2);
  auto lpp = DecodeCayenneLpp(up->payload);
  ASSERT_TRUE(lpp.ok());
  EXPECT_NEAR(Field(*lpp, "gps_1.latitude"), 42.3519, 1e-9);
  EXPECT_NEAR(Field(*lpp, "gps_1.longitude"), -87.9094, 1e-9);
  EXPECT_NEAR(Field(*lpp, "gps_1.altitude"), 10, 1e-9);
}

TEST(LorawanTest, MissingAndMalformedMembersAreNamed) {
  struct Case {
    std::string json;
    const char* field;
  };
  const Case cases[] = {
      {"{", "body"},
      {"[1]", "body"},
      {R"({"time": "2022-07-18T09:34:15Z"})", "deviceInfo"},
      {R"({"deviceInfo": {"devEui": "0101"}, "time": "2022-07-18T09:34:15Z"})", "deviceInfo.devEui"},
      {R"({"deviceInfo": {"devEui": "010101010101010G"}, "time": "2022-07-18T09:34:15Z"})",
       "deviceInfo.devEui"},
      {R"({"deviceInfo": {"devEui": "0101010101010101"}})", "time"},
      {R"({"deviceInfo": {"devEui": "0101010101010101"}, "time": "yesterday"})", "time"},
      {R"({"deviceInfo": {"devEui": "0101010101010101"}, "time": "2022-07-18T09:34:15Z", "fCnt": -1})",
       "fCnt"},
      {R"({"deviceInfo": {"devEui": "0101010101010101"}, "time": "2022-07-18T09:34:15Z", "data": "%%"})",
       "data"},
      {R"({"deviceInfo": {"devEui": 5}, "time": "2022-07-18T09:34:15Z"})", "deviceInfo.devEui"},
  };
  for (const Case& c : cases) {
    auto up = ParseChirpStackUplink(c.json);
    ASSERT_FALSE(up.ok()) << c.json;
    EXPECT_EQ(up.status().field(), c.field) << c.json;
  }
  EXPECT_EQ(ParseTheThingsStackUplink(R"({"end_device_ids": 7})").status().field(),
            "end_device_ids");
  EXPECT_EQ(ParseTheThingsStackUplink(
                R"({"end_device_ids": {"dev_eui": "0004A30B001C0530"}, "uplink_message": 3})")
                .status()
                .field(),
            "uplink_message");
  EXPECT_EQ(ParseTheThingsStackUplink(
                R"({"end_device_ids": {"dev_eui": "0004A30B001C0530"}, "uplink_message": {}})")
                .status()
                .field(),
            "uplink_message.received_at");
}

// Messages of The Things Stack as its documentation and recorded traffic show them.
TEST(LorawanTest, TheThingsStackMessagesThatAreNoUplinksAndUnsetTimes) {
  // A join-accept (the Data Formats page of The Things Stack): well-formed, no reading.
  auto join = ParseTheThingsStackUplink(R"({
    "end_device_ids": {"device_id": "dev1", "application_ids": {"application_id": "app1"},
                       "dev_eui": "0004A30B001C0530", "join_eui": "800000000000000C", "dev_addr": "00BCB929"},
    "correlation_ids": ["as:up:01..."], "received_at": "2020-02-12T15:15:45.787Z",
    "join_accept": {"session_key_id": "AXBSH1Pk6Z0G166...", "received_at": "2020-02-17T07:49:38.543Z"}})");
  ASSERT_TRUE(join.ok()) << join.status().message();
  EXPECT_FALSE(*join);
  // A Console-simulated uplink: "0001-01-01T00:00:00Z" in uplink_message means not set.
  auto simulated = ParseTheThingsStackUplink(R"({
    "end_device_ids": {"device_id": "sim-1", "dev_eui": "0004A30B001C0531"},
    "received_at": "2024-05-02T10:00:00.123Z",
    "uplink_message": {"f_port": 1, "decoded_payload": {"occupied": true, "events": "motion"},
                       "received_at": "0001-01-01T00:00:00Z"}})");
  ASSERT_TRUE(simulated.ok()) << simulated.status().field() << ": " << simulated.status().message();
  ASSERT_TRUE(*simulated);
  EXPECT_EQ((*simulated)->time_ms, 1714644000123);
  EXPECT_EQ(*Find((*simulated)->decoded, "occupied"), FieldValue(true));
  EXPECT_EQ(*Find((*simulated)->decoded, "events"), FieldValue(std::string("motion")));
  // A device without a DevEUI is named by its device id.
  auto no_eui = ParseTheThingsStackUplink(R"({"end_device_ids": {"device_id": "abp-pegel-2"},
    "received_at": "2024-05-02T10:00:00Z", "uplink_message": {"decoded_payload": {"level": 3}}})");
  ASSERT_TRUE(no_eui.ok()) << no_eui.status().message();
  EXPECT_EQ((*no_eui)->dev_eui, "");
  EXPECT_EQ((*no_eui)->device_id, "abp-pegel-2");
  EXPECT_EQ(ParseTheThingsStackUplink(R"({"end_device_ids": {}, "received_at": "2024-05-02T10:00:00Z",
    "uplink_message": {}})").status().field(), "end_device_ids.device_id");
}

TEST(LorawanTest, CayenneLppDecodesTheDocumentedExamples) {
  auto two = DecodeCayenneLpp(std::string("\x03\x67\x01\x10\x05\x67\x00\xff", 8));
  ASSERT_TRUE(two.ok());
  EXPECT_NEAR(Field(*two, "temperature_3"), 27.2, 1e-9);
  EXPECT_NEAR(Field(*two, "temperature_5"), 25.5, 1e-9);
  auto acc = DecodeCayenneLpp(std::string("\x06\x71\x04\xd2\xfb\x2e\x00\x00", 8));
  ASSERT_TRUE(acc.ok());
  EXPECT_NEAR(Field(*acc, "accelerometer_6.x"), 1.234, 1e-9);
  EXPECT_NEAR(Field(*acc, "accelerometer_6.y"), -1.234, 1e-9);
  EXPECT_NEAR(Field(*acc, "accelerometer_6.z"), 0, 1e-9);
  auto mixed = DecodeCayenneLpp(std::string("\x01\x68\x61\x02\x73\x27\x7f\x03\x00\x01", 10));
  ASSERT_TRUE(mixed.ok());
  EXPECT_NEAR(Field(*mixed, "relative_humidity_1"), 48.5, 1e-9);
  EXPECT_NEAR(Field(*mixed, "barometric_pressure_2"), 1011.1, 1e-9);  // 0x277f = 10111
  EXPECT_EQ(Field(*mixed, "digital_in_3"), 1);
}

TEST(LorawanTest, CayenneLppRejectsUnknownTypesAndTruncation) {
  EXPECT_EQ(DecodeCayenneLpp(std::string("\x01\x99\x00", 3)).status().field(), "payload");
  EXPECT_FALSE(DecodeCayenneLpp(std::string("\x01\x67\x00", 3)).ok());
  EXPECT_FALSE(DecodeCayenneLpp(std::string("\x01", 1)).ok());
  EXPECT_TRUE(DecodeCayenneLpp("")->empty());
}

TEST(LorawanTest, Base64) {
  EXPECT_EQ(*DecodeBase64("AWcA/w=="), std::string("\x01\x67\x00\xff", 4));
  EXPECT_EQ(*DecodeBase64("AWcA/w"), std::string("\x01\x67\x00\xff", 4));
  EXPECT_EQ(*DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("A").has_value());
  EXPECT_FALSE(DecodeBase64("AW-A").has_value());
}

}  // namespace
}  // namespace datenwerk::sensors
