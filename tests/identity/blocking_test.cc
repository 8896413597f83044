#include "marac/identity/blocking.h"

#include <gtest/gtest.h>

#include "marac/identity/evaluation.h"
#include "tests/identity/febrl.h"

namespace marac {
namespace {

PersonRecord Person(std::string given, std::string family, std::string dob) {
  PersonRecord r;
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.dob = std::move(dob);
  return r;
}

TEST(BlockingTest, UnionOfRulesSurvivesOneBadField) {
  // Invented people: 0 and 1 are one person with a mistyped date; 0 and 2
  // one person after a change of surname; 3 is someone else.
  const std::vector<NormalisedRecord> records = {
      Normalise(Person("Orla", "Fenwick", "1988-04-12")),
      Normalise(Person("Orla", "Fenwick", "1988-04-21")),
      Normalise(Person("Orla", "Brannagh", "1988-04-12")),
      Normalise(Person("Ivo", "Tallis", "1970-09-30")),
  };
  const std::vector<BlockingRule> rules = DefaultBlockingRules();
  const BlockingResult b = Block(records, rules);
  const std::vector<RecordPair> want = {{0, 1}, {0, 2}, {1, 2}};
  EXPECT_EQ(b.candidates, want);
  ASSERT_EQ(b.rules.size(), rules.size());
  EXPECT_EQ(b.rules[0].name, "dob");
  EXPECT_EQ(b.rules[0].pairs, 1u);  // 0-2
  EXPECT_EQ(b.rules[1].pairs, 1u);  // 0-1
  EXPECT_EQ(b.rules[3].pairs, 3u);  // All Orla 1988.
  EXPECT_EQ(b.passes[0].blocked_fields.size(), 1u);
}

TEST(BlockingTest, SoundexFollowsTheAmericanRules) {
  EXPECT_EQ(Soundex("robert"), "R163");
  EXPECT_EQ(Soundex("rupert"), "R163");
  EXPECT_EQ(Soundex("ashcraft"), "A261");  // h does not split s and c.
  EXPECT_EQ(Soundex("tymczak"), "T522");
  EXPECT_EQ(Soundex("pfister"), "P236");  // f codes as the p before it.
  EXPECT_EQ(Soundex("honeyman"), "H555");
  EXPECT_EQ(Soundex("lee"), "L000");
  EXPECT_EQ(Soundex(""), "");
  EXPECT_EQ(Soundex("123"), "");
}

// The rule of `rules` called `name`, by position.
std::size_t RuleIndex(const std::vector<BlockingRule>& rules,
                      std::string_view name) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].name == name) return i;
  }
  ADD_FAILURE() << "no rule " << name;
  return 0;
}

TEST(BlockingTest, NicknamesSwappedNamesAndIdentifiersEachFindTheirPair) {
  // Invented people, each pair sharing no date of birth or family name.
  std::vector<PersonRecord> people = {
      Person("Liz", "Marlowe", "1990-07-03"),
      Person("Elizabeth", "Marlow", "1991-07-03"),  // Nickname, sound-alike.
      Person("Corin", "Ashby", ""),
      Person("Ashby", "Corin", ""),  // Swapped.
      Person("Dace", "Quill", ""),
      Person("Dacey", "Quell", ""),  // Same identifier and e-mail.
      Person("Una", "Vesk", "1975-02-14"),
      Person("Una", "Vesk-Hart", "1957-02-14"),  // Mistyped year.
  };
  people[4].other_id = "QQ123456C";
  people[5].other_id = "qq 12 34 56 c";
  people[4].email = "dq@example.org";
  people[5].email = "DQ@example.org";
  people[6].family_name = "Vesk";
  people[7].family_name = "Vesk";
  people[6].dob = "1975-02-14";
  people[7].dob = "1957-02-14";
  std::vector<NormalisedRecord> records;
  for (const PersonRecord& p : people) records.push_back(Normalise(p));
  const std::vector<BlockingRule> rules = DefaultBlockingRules();
  const BlockingResult b = Block(records, rules);
  const auto pairs_of = [&](std::string_view rule) {
    return b.passes[RuleIndex(rules, rule)].pairs;
  };
  const std::vector<RecordPair> nickname = {{0, 1}, {6, 7}};
  EXPECT_EQ(pairs_of("nickname_family_sound"), nickname);
  const std::vector<RecordPair> swapped = {{2, 3}, {6, 7}};
  EXPECT_EQ(pairs_of("names_swapped"), swapped);
  const std::vector<RecordPair> identified = {{4, 5}};
  EXPECT_EQ(pairs_of("other_id"), identified);
  EXPECT_EQ(pairs_of("email"), identified);
  const std::vector<RecordPair> year = {{6, 7}};
  EXPECT_EQ(pairs_of("family_initial_month_day"), year);
  // None of these pairs shares a date of birth.
  EXPECT_TRUE(pairs_of("dob").empty());
}

TEST(BlockingTest, GivenNameAndDateFindANewSurnameANicknameAndASwappedDay) {
  // Invented people: 0 and 1 one woman under a new surname, a nickname and
  // her day and month the wrong way round; 2 shares only the date.
  const std::vector<NormalisedRecord> records = {
      Normalise(Person("Elizabeth", "Marlowe", "1990-07-03")),
      Normalise(Person("Liz", "Brannagh", "1990-03-07")),
      Normalise(Person("Ivo", "Tallis", "1990-07-03")),
  };
  const std::vector<BlockingRule> rules = DefaultBlockingRules();
  const BlockingResult b = Block(records, rules);
  const std::vector<RecordPair> want = {{0, 1}};
  EXPECT_EQ(b.passes[RuleIndex(rules, "given_name_dob")].pairs, want);
}

TEST(BlockingTest, ACandidatesOnlyRuleMakesNoTrainingPass) {
  // A slip in the surname and in the day: found by the given name, the
  // sound of the family name and the year.
  const std::vector<NormalisedRecord> records = {
      Normalise(Person("Orla", "Fenwick", "1988-04-12")),
      Normalise(Person("Orla", "Fenwik", "1988-04-15")),
  };
  const std::vector<BlockingRule> rules = DefaultBlockingRules();
  const std::size_t r = RuleIndex(rules, "given_family_sound_birth_year");
  ASSERT_FALSE(rules[r].train);
  const BlockingResult b = Block(records, rules);
  EXPECT_EQ(b.rules[r].pairs, 1u);
  EXPECT_TRUE(b.passes[r].pairs.empty());
  EXPECT_EQ(b.candidates.size(), 1u);
}

TEST(BlockingTest, PairBudgetShrinksWithThePopulation) {
  const BlockingOptions options;  // 15 a record up to 100,000 records.
  EXPECT_DOUBLE_EQ(PairsPerRecord(options, 1'000), 15.0);
  EXPECT_DOUBLE_EQ(PairsPerRecord(options, 100'000), 15.0);
  EXPECT_DOUBLE_EQ(PairsPerRecord(options, 400'000), 7.5);
  EXPECT_NEAR(PairsPerRecord(options, 1'000'000), 4.74, 0.01);
}

TEST(BlockingTest, LargeBlocksAreSkippedAndReported) {
  std::vector<NormalisedRecord> records;
  for (int i = 0; i < 50; ++i) {
    // No given name: only the family-name rule makes a key.
    (void)i;
    records.push_back(Normalise(Person("", "Smythe", "")));
  }
  // The family-name rule alone.
  const std::vector<BlockingRule> rules = {DefaultBlockingRules()[1]};
  const BlockingResult b = Block(records, rules, {.max_block_size = 20});
  EXPECT_TRUE(b.candidates.empty());
  EXPECT_EQ(b.rules[0].skipped_blocks, 1u);
  EXPECT_EQ(b.rules[0].skipped_records, 50u);
  const BlockingResult all = Block(
      records, rules, {.max_block_size = 50, .max_pairs_per_record = 100});
  EXPECT_EQ(all.candidates.size(), 50u * 49u / 2u);
}

TEST(BlockingTest, PairBudgetDropsTheLargestBlocksFirst) {
  // Family-name blocks of 2, 3 and 40 records: 1 + 3 + 780 pairs.
  std::vector<NormalisedRecord> records;
  const std::pair<const char*, int> blocks[] = {
      {"Quill", 2}, {"Vesk", 3}, {"Smythe", 40}};
  for (const auto& [family, count] : blocks) {
    for (int i = 0; i < count; ++i) {
      records.push_back(Normalise(Person("", family, "")));
    }
  }
  const std::vector<BlockingRule> rules = {DefaultBlockingRules()[1]};
  // 45 records at 10 pairs each: 450, so the 40-record block goes.
  const BlockingResult b = Block(records, rules, {.max_pairs_per_record = 10});
  EXPECT_EQ(b.candidates.size(), 4u);
  EXPECT_EQ(b.rules[0].skipped_blocks, 1u);
  EXPECT_EQ(b.rules[0].skipped_records, 40u);
  EXPECT_EQ(b.rules[0].largest_block, 3u);
}

TEST(BlockingTest, SameResultOnAnyNumberOfThreads) {
  std::vector<NormalisedRecord> records;
  const char* given[] = {"Orla", "Ivo", "Una", "Dace"};
  const char* family[] = {"Fenwick", "Tallis", "Vesk", "Quill", "Ashby"};
  for (int i = 0; i < 400; ++i) {
    records.push_back(Normalise(Person(given[i % 4], family[i % 5],
                                       "19" + std::to_string(60 + i % 30) +
                                           "-0" + std::to_string(1 + i % 9) +
                                           "-1" + std::to_string(i % 7))));
  }
  const std::vector<BlockingRule> rules = DefaultBlockingRules();
  const BlockingResult one = Block(records, rules, {.threads = 1});
  const BlockingResult two = Block(records, rules, {.threads = 2});
  const BlockingResult four = Block(records, rules, {.threads = 4});
  EXPECT_FALSE(one.candidates.empty());
  EXPECT_EQ(one.candidates, two.candidates);
  EXPECT_EQ(one.candidates, four.candidates);
  for (std::size_t r = 0; r < rules.size(); ++r) {
    EXPECT_EQ(one.passes[r].pairs, two.passes[r].pairs) << rules[r].name;
    EXPECT_EQ(one.rules[r].pairs, four.rules[r].pairs) << rules[r].name;
  }
}

TEST(BlockingTest, FebrlPairCompletenessAndReduction) {
  struct Case {
    const char* file;
    double min_completeness;
  };
  const Case cases[] = {{"dataset1.csv", 0.999}, {"dataset3.csv", 0.997}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    Febrl febrl;
    if (!LoadFebrl(std::string(MARAC_SHARED_DATA "/febrl/") + c.file, febrl)) {
      GTEST_SKIP() << "../shared/data/febrl not present";
    }
    const std::vector<BlockingRule> rules = DefaultBlockingRules();
    const BlockingResult b = Block(febrl.records, rules);
    const double completeness = PairCompleteness(b.candidates, febrl.entity);
    const double reduction =
        ReductionRatio(b.candidates.size(), febrl.records.size());
    std::cout << c.file << ": " << b.candidates.size()
              << " candidate pairs, pair completeness " << completeness
              << ", reduction ratio " << reduction << "\n";
    EXPECT_GE(completeness, c.min_completeness);
    EXPECT_GE(reduction, 0.99);
  }
}

TEST(BlockingTest, CompletenessAndReductionArithmetic) {
  const std::vector<std::string> entity = {"a", "a", "a", "b"};
  const std::vector<RecordPair> some = {{0, 1}, {2, 3}};
  EXPECT_DOUBLE_EQ(PairCompleteness(some, entity), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(ReductionRatio(2, 4), 1.0 - 2.0 / 6.0);
}

TEST(BlockingTest, PairwiseEvaluationCountsPairsPerLabel) {
  // Truth: {0,1,2} and {3}; found: {0,1} and {2,3}.
  const std::vector<std::string> truth = {"a", "a", "a", "b"};
  const std::vector<std::string> found = {"x", "x", "y", "y"};
  const PairwiseAccuracy a = EvaluatePairs(found, truth);
  EXPECT_EQ(a.true_pairs, 3u);
  EXPECT_EQ(a.predicted_pairs, 2u);
  EXPECT_EQ(a.true_positives, 1u);
  EXPECT_DOUBLE_EQ(a.precision(), 0.5);
  EXPECT_DOUBLE_EQ(a.recall(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(a.f1(), 0.4);
  EXPECT_EQ(PairsWithin(truth), 3u);
}

}  // namespace
}  // namespace marac
