#include "marac/assess/instrument.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace marac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const Instrument> BuiltIn(std::string_view id) {
  Result<std::shared_ptr<const Instrument>> found =
      InstrumentSet::BuiltIn().Find(id);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : nullptr;
}

struct CountCase {
  const char* id;
  int items;
};
constexpr CountCase kCounts[] = {
    {"safelives-ric", 24}, {"police-dash-2009", 27}, {"s-dash", 11}};

TEST(InstrumentTest, BuiltInItemCounts) {
  for (const CountCase& c : kCounts) {
    SCOPED_TRACE(c.id);
    const auto instrument = BuiltIn(c.id);
    ASSERT_NE(instrument, nullptr);
    EXPECT_EQ(instrument->item_count(), c.items);
    EXPECT_FALSE(instrument->version().empty());
    for (int n = 1; n <= c.items; ++n) {
      EXPECT_EQ(instrument->item(n).number, n);
      EXPECT_FALSE(instrument->item(n).label.empty());
      EXPECT_TRUE(instrument->item(n).wording.empty())
          << "question wording must not ship";
    }
  }
}

struct KeyCase {
  int number;
  const char* key;
  const char* tag;  // "" when none.
};
// The RIC rows of domain.md section 2 that carry the highest harm.
constexpr KeyCase kRicKeys[] = {
    {1, "current_injury", ""},
    {2, "victim_fear", "extreme_fear"},
    {6, "recent_separation", "separation"},
    {8, "stalking_harassment", "stalking"},
    {9, "pregnancy_new_baby", "pregnancy"},
    {10, "escalation_frequency", "escalation"},
    {13, "weapon_use", "weapon"},
    {14, "threat_to_kill", "threat_to_kill"},
    {15, "strangulation", "strangulation"},
    {16, "sexual_abuse", "sexual_abuse"},
    {24, "criminal_history", "criminal_history"},
};

TEST(InstrumentTest, RicKeysAndTags) {
  const auto ric = BuiltIn("safelives-ric");
  for (const KeyCase& c : kRicKeys) {
    SCOPED_TRACE(c.number);
    EXPECT_EQ(ric->item(c.number).key, c.key);
    if (std::string(c.tag).empty()) {
      EXPECT_TRUE(ric->item(c.number).high_harm_tags.empty());
    } else {
      EXPECT_THAT(ric->item(c.number).high_harm_tags, ElementsAre(c.tag));
    }
  }
}

TEST(InstrumentTest, PoliceFormMapsOntoRicNumbering) {
  const auto police = BuiltIn("police-dash-2009");
  const auto ric = BuiltIn("safelives-ric");
  for (int n = 1; n <= 27; ++n) {
    SCOPED_TRACE(n);
    const InstrumentItem& item = police->item(n);
    if (n <= 9) {
      ASSERT_TRUE(item.ric_number.has_value());
      EXPECT_EQ(*item.ric_number, n);
    } else if (n <= 12) {
      EXPECT_FALSE(item.ric_number.has_value());
    } else {
      ASSERT_TRUE(item.ric_number.has_value());
      EXPECT_EQ(*item.ric_number, n - 3);
    }
    if (item.ric_number) {
      // Same topic, same key and tags as the RIC item it maps to.
      EXPECT_EQ(item.key, ric->item(*item.ric_number).key);
      EXPECT_EQ(item.high_harm_tags,
                ric->item(*item.ric_number).high_harm_tags);
    }
  }
  EXPECT_EQ(police->item(10).key, "dependants_in_household");
  EXPECT_EQ(police->item(11).key, "harm_to_children");
  EXPECT_EQ(police->item(18).key, "strangulation");
}

TEST(InstrumentTest, StalkingChecklistRaisesStalkingOnEveryItem) {
  const auto sdash = BuiltIn("s-dash");
  for (const InstrumentItem& item : sdash->items()) {
    EXPECT_THAT(item.high_harm_tags, ElementsAre("stalking")) << item.number;
  }
}

TEST(InstrumentTest, RicStalkingItemCallsForStalkingChecklist) {
  EXPECT_EQ(BuiltIn("safelives-ric")->item(8).follow_up_instrument, "s-dash");
}

TEST(InstrumentTest, UnknownIdListsKnownOnes) {
  const auto missing = InstrumentSet::BuiltIn().Find("odara");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(),
              HasSubstr("instrument: \"odara\" is not a known instrument"));
  EXPECT_THAT(missing.status().message(), HasSubstr("safelives-ric"));
}

std::string Definition(std::string_view items) {
  return R"({"format": "marac-instrument/1", "id": "test-form",
             "version": "1", "items": )" +
         std::string(items) + "}";
}

struct BadDefinition {
  const char* label;
  std::string text;
  const char* want;
};

TEST(InstrumentTest, DefinitionErrorsNameTheField) {
  const BadDefinition cases[] = {
      {"NoItems", Definition("[]"), "items: expected an array of 1 to 64"},
      {"OutOfOrder", Definition(R"([{"number": 2, "key": "a", "label": "A"}])"),
       "items[0].number: expected 1"},
      {"DuplicateKey", Definition(R"([{"number": 1, "key": "a", "label": "A"},
                      {"number": 2, "key": "a", "label": "B"}])"),
       "items[1].key: \"a\" is used by another item"},
      {"BadTag", Definition(R"([{"number": 1, "key": "a", "label": "A",
                       "high_harm_tags": ["Not OK"]}])"),
       "items[0].high_harm_tags[0]"},
      {"UnknownField",
       Definition(R"([{"number": 1, "key": "a", "label": "A", "text": "x"}])"),
       "items[0].text: unknown field"},
      {"WrongFormat", R"({"format": "v2", "id": "x", "version": "1",
                          "items": []})",
       "format: \"v2\" is not supported"},
      {"MissingLabel", Definition(R"([{"number": 1, "key": "a"}])"),
       "items[0].label: required"},
  };
  for (const BadDefinition& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parsed = Instrument::FromJson(c.text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.want));
  }
}

TEST(InstrumentTest, LoadedDefinitionReplacesBuiltIn) {
  // A service that confirms a different order of RIC items 10-24 ships its
  // own definition; here, a two-item stand-in with the same id.
  const auto loaded = Instrument::FromJson(R"({
      "format": "marac-instrument/1", "id": "safelives-ric", "version": "local-2",
      "items": [
        {"number": 1, "key": "strangulation", "label": "Choking",
         "high_harm_tags": ["strangulation"]},
        {"number": 2, "key": "victim_fear", "label": "Fear"}]})");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  InstrumentSet set = InstrumentSet::BuiltIn();
  set.Put(*loaded);
  const auto found = set.Find("safelives-ric");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->version(), "local-2");
  EXPECT_EQ((*found)->item_count(), 2);
  EXPECT_EQ((*found)->tags(), std::vector<std::string>{"strangulation"});
  EXPECT_EQ(set.all().size(), 4u);
}

TEST(InstrumentTest, WordingAttachesAtRunTime) {
  const auto ric = BuiltIn("safelives-ric");
  const auto worded = ric->WithWording(
      R"({"instrument": "safelives-ric", "version": "licensed-1",
          "items": {"1": "Licensed text one", "15": "Licensed text fifteen"}})");
  ASSERT_TRUE(worded.ok()) << worded.status();
  EXPECT_EQ((*worded)->item(15).wording, "Licensed text fifteen");
  EXPECT_TRUE((*worded)->item(2).wording.empty());
  EXPECT_TRUE(ric->item(15).wording.empty()) << "the original is unchanged";

  const auto wrong_item = ric->WithWording(
      R"({"instrument": "safelives-ric", "items": {"25": "x"}})");
  ASSERT_FALSE(wrong_item.ok());
  EXPECT_THAT(wrong_item.status().message(),
              HasSubstr("items.25: safelives-ric has questions 1-24"));
  const auto wrong_form =
      ric->WithWording(R"({"instrument": "s-dash", "items": {}})");
  ASSERT_FALSE(wrong_form.ok());
  EXPECT_THAT(wrong_form.status().message(), HasSubstr("instrument:"));
}

}  // namespace
}  // namespace marac
