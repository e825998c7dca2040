// One test per JSON Schema -> TypeScript rule of openai/harmony's json_schema_to_typescript.
#include <gtest/gtest.h>

#include "harmony/schema_typescript.h"

namespace tally::harmony {
namespace {

using json = nlohmann::ordered_json;

std::string ts(const char* schema) { return schema_to_typescript(json::parse(schema)); }

TEST(SchemaTypescript, RequiredPropertiesHaveNoQuestionMark) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"required":["a"]})"),
            "{\na: string,\nb?: number,\n}");
}

TEST(SchemaTypescript, PropertiesKeepDocumentOrder) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"z":{"type":"string"},"a":{"type":"string"}}})"),
            "{\nz?: string,\na?: string,\n}");
}

TEST(SchemaTypescript, StringEnumBecomesUnionAndItsDefaultIsBare) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"f":{"type":"string","enum":["c","f"],"default":"c"}}})"),
            "{\nf?: \"c\" | \"f\", // default: c\n}");
}

TEST(SchemaTypescript, StringDefaultIsQuotedNumberAndBoolAreNot) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"s":{"type":"string","default":"x"},"n":{"type":"number","default":-1},"b":{"type":"boolean","default":false}}})"),
            "{\ns?: string, // default: \"x\"\nn?: number, // default: -1\nb?: boolean, // default: false\n}");
}

TEST(SchemaTypescript, DescriptionIsACommentAboveTheProperty) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"a":{"type":"string","description":"Where"}}})"),
            "{\n// Where\na?: string,\n}");
}

TEST(SchemaTypescript, ArraysUseItemTypeOrArrayAny) {
  EXPECT_EQ(ts(R"({"type":"array","items":{"type":"string"}})"), "string[]");
  EXPECT_EQ(ts(R"({"type":"array"})"), "Array<any>");
  EXPECT_EQ(ts(R"({"type":"array","items":{"type":"array","items":{"type":"integer"}}})"), "number[][]");
}

TEST(SchemaTypescript, NestedObjectsIndentTheirPropertiesByFour) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"o":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}}})"),
            "{\no?: {\n    x: number,\n    },\n}");
}

TEST(SchemaTypescript, NullableAddsNullOnce) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"a":{"type":"string","nullable":true}}})"), "{\na?: string | null,\n}");
  EXPECT_EQ(ts(R"({"type":"object","properties":{"a":{"type":["string","null"],"nullable":true}}})"),
            "{\na?: string | null,\n}");
}

TEST(SchemaTypescript, TypeListsJoinWithIntegerAsNumber) {
  EXPECT_EQ(ts(R"({"type":["integer","string"]})"), "number | string");
}

TEST(SchemaTypescript, TitleAndExamplesAreComments) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"s":{"type":"string","title":"T","examples":["a",1,"b"]}}})"),
            "{\n// T\n//\n// Examples:\n// - \"a\"\n// - \"b\"\ns?: string,\n}");
}

TEST(SchemaTypescript, ObjectDescriptionPrecedesTheBrace) {
  EXPECT_EQ(ts(R"({"type":"object","description":"params","properties":{}})"), "// params\n{\n}");
}

TEST(SchemaTypescript, OneOfPropertyListsVariantsWithTheirComments) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"v":{"oneOf":[{"type":"string","default":"d"},{"type":"number","description":"n"}],"description":"either","default":20}}})"),
            "{\n// either\n// default: 20\nv?:\n | string // default: \"d\"\n | number // n\n,\n}");
}

TEST(SchemaTypescript, OneOfDescriptionEqualToFirstVariantsIsWrittenOnce) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"v":{"oneOf":[{"type":"string","description":"same"},{"type":"number"}],"description":"same"}}})"),
            "{\nv?:\n | string\n | number\n,\n}");
}

TEST(SchemaTypescript, TopLevelOneOf) {
  EXPECT_EQ(ts(R"({"oneOf":[{"type":"string"},{"type":"number","nullable":true,"description":"d"}]})"),
            "\n | string\n | number | null // d");
}

TEST(SchemaTypescript, UnknownOrMissingTypeIsAny) {
  EXPECT_EQ(ts(R"({"type":"null"})"), "any");
  EXPECT_EQ(ts(R"({})"), "any");
  EXPECT_EQ(ts(R"(42)"), "any");
  EXPECT_EQ(ts(R"({"type":"object","properties":[1,2]})"), "{\n}");
}

TEST(SchemaTypescript, ObjectDefaultIsCompactJson) {
  EXPECT_EQ(ts(R"({"type":"object","properties":{"o":{"type":"object","default":{"a":[1,"x"]}}}})"),
            "{\no?: {\n    }, // default: {\"a\":[1,\"x\"]}\n}");
}

TEST(SchemaTypescript, AbsurdNestingStopsAtAny) {
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += R"({"type":"array","items":)";
  deep += R"({"type":"string"})";
  for (int i = 0; i < 500; ++i) deep += "}";
  const std::string out = ts(deep.c_str());
  EXPECT_NE(out.find("any"), std::string::npos);
}

}  // namespace
}  // namespace tally::harmony
