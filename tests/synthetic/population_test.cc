#include "marac/identity/population.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "lib/synthetic/synthetic_people.h"

namespace marac {
namespace {

// Invented people: the last record of `count` people is held out of the
// batch and added one at a time later (some people have no other record,
// so they come back as new people).
struct Split {
  std::vector<PersonRecord> batch;
  std::vector<std::uint32_t> batch_person;
  std::vector<PersonRecord> later;
  std::vector<std::uint32_t> later_person;
};

Split HoldOutLastRecords(const SyntheticPopulation& p, std::size_t count) {
  std::map<std::uint32_t, std::size_t> last;
  for (std::size_t i = 0; i < p.records.size(); ++i) last[p.person[i]] = i;
  std::set<std::size_t> held;
  for (const auto& [person, i] : last) {
    if (held.size() == count) break;
    held.insert(i);
  }
  Split s;
  for (std::size_t i = 0; i < p.records.size(); ++i) {
    if (held.contains(i)) {
      s.later.push_back(p.records[i]);
      s.later_person.push_back(p.person[i]);
    } else {
      s.batch.push_back(p.records[i]);
      s.batch_person.push_back(p.person[i]);
    }
  }
  return s;
}

TEST(PopulationTest, AddedRecordsJoinTheirPeopleOrBecomeNewOnes) {
  const SyntheticPopulation people = SyntheticPeople(3000, 20261125);
  const Split split = HoldOutLastRecords(people, 400);
  Result<Population> population = Population::Build(split.batch);
  ASSERT_TRUE(population.ok()) << population.status().ToString();
  // The person id the batch gave each true person (by its first record).
  std::map<std::uint32_t, std::string> id_of_truth;
  for (std::size_t i = 0; i < split.batch.size(); ++i) {
    id_of_truth.try_emplace(split.batch_person[i], population->person_of(i));
  }
  std::size_t should_join = 0, joined_right = 0, joined_wrong = 0;
  std::size_t should_be_new = 0, new_right = 0;
  for (std::size_t k = 0; k < split.later.size(); ++k) {
    const std::size_t before = population->person_count();
    const Result<Population::Added> added = population->Add(split.later[k]);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    EXPECT_EQ(population->person_of(population->size() - 1), added->person_id);
    EXPECT_EQ(population->person_count(), before + (added->new_person ? 1 : 0));
    const auto known = id_of_truth.find(split.later_person[k]);
    if (known == id_of_truth.end()) {
      ++should_be_new;
      new_right += added->new_person;
      continue;
    }
    ++should_join;
    if (added->person_id == known->second) {
      ++joined_right;
    } else if (!added->new_person) {
      ++joined_wrong;
    }
  }
  ASSERT_GT(should_join, 100u);
  ASSERT_GT(should_be_new, 100u);
  // Most returning people are found; a wrong join is rarer still.
  EXPECT_GE(joined_right, should_join * 9 / 10)
      << joined_right << " of " << should_join;
  EXPECT_LE(joined_wrong, should_join / 100);
  EXPECT_GE(new_right, should_be_new * 99 / 100);
}

TEST(PopulationTest, AddingIsDeterministicAndRefusesARepeatedId) {
  const SyntheticPopulation people = SyntheticPeople(500, 7);
  const Split split = HoldOutLastRecords(people, 50);
  Result<Population> a = Population::Build(split.batch);
  Result<Population> b = Population::Build(split.batch);
  ASSERT_TRUE(a.ok() && b.ok());
  for (const PersonRecord& r : split.later) {
    const Result<Population::Added> x = a->Add(r);
    const Result<Population::Added> y = b->Add(r);
    ASSERT_TRUE(x.ok() && y.ok());
    EXPECT_EQ(x->person_id, y->person_id);
    EXPECT_EQ(x->candidates, y->candidates);
  }
  const std::size_t size = a->size();
  const Result<Population::Added> again = a->Add(split.later[0]);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("already present"),
            std::string::npos);
  EXPECT_EQ(a->size(), size) << "nothing changed";
  PersonRecord no_id = split.later[0];
  no_id.record_id.clear();
  EXPECT_FALSE(a->Add(no_id).ok());
}

TEST(PopulationTest, ConstraintsHoldForAnAddedRecord) {
  const SyntheticPopulation people = SyntheticPeople(500, 11);
  std::vector<PersonRecord> batch = people.records;
  batch[0].role = Role::kVictim;
  batch[0].incident_id = "INC-1";
  batch[1].trusted_id = "PNC-77";
  Result<Population> population = Population::Build(batch);
  ASSERT_TRUE(population.ok());
  // The same details as record 0, as the perpetrator of her incident.
  PersonRecord twin = batch[0];
  twin.record_id = "NEW-1";
  twin.role = Role::kPerpetrator;
  const Result<Population::Added> a = population->Add(twin);
  ASSERT_TRUE(a.ok());
  EXPECT_NE(a->person_id, population->person_of(0));
  // Nothing in common with record 1 but its trusted identifier.
  PersonRecord stranger;
  stranger.record_id = "NEW-2";
  stranger.given_name = "Quillon";
  stranger.family_name = "Vexley";
  stranger.trusted_id = "PNC-77";
  const Result<Population::Added> b = population->Add(stranger);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->person_id, population->person_of(1));
  EXPECT_FALSE(b->new_person);
}

// The dual-role guard holds when adding: a record with a victim's details
// but a perpetrator's role (no shared incident) joins no one, and the pair
// is left for review as dual_role; the same record as a victim joins her.
TEST(PopulationTest, AnAddedPerpetratorRecordNeverJoinsAVictim) {
  const SyntheticPopulation people = SyntheticPeople(500, 12);
  const std::vector<PersonRecord>& batch = people.records;
  std::size_t v = 0;
  while (v < batch.size() && batch[v].role != Role::kVictim) ++v;
  ASSERT_LT(v, batch.size());
  Result<Population> population = Population::Build(batch);
  ASSERT_TRUE(population.ok());
  PersonRecord same_details = batch[v];
  same_details.record_id = "NEW-P";
  same_details.role = Role::kPerpetrator;
  const Result<Population::Added> a = population->Add(same_details);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->new_person);
  ASSERT_FALSE(a->review.empty());
  EXPECT_EQ(a->review.front().reason, ReviewReason::kDualRole);
  same_details.record_id = "NEW-V";
  same_details.role = Role::kVictim;
  const Result<Population::Added> b = population->Add(same_details);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->person_id, population->person_of(v));
}

TEST(PopulationTest, NewPeopleNeverReuseARetiredId) {
  const SyntheticPopulation people = SyntheticPeople(300, 13);
  // Two records of one person, the second under a higher earlier id: the
  // batch merges them, keeps the older id and retires P000900.
  std::size_t first = 0, second = 0;
  for (std::size_t i = 1; i < people.records.size() && second == 0; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (people.person[j] == people.person[i] &&
          people.records[j].family_name == people.records[i].family_name &&
          people.records[j].dob == people.records[i].dob) {
        first = j;
        second = i;
        break;
      }
    }
  }
  ASSERT_NE(second, 0u);
  ResolveOptions options;
  options.earlier_person_of = {{people.records[first].record_id, "P000005"},
                               {people.records[second].record_id, "P000900"}};
  Result<Population> population = Population::Build(people.records, options);
  ASSERT_TRUE(population.ok());
  ASSERT_EQ(population->person_of(second), "P000005");
  PersonRecord stranger;
  stranger.record_id = "NEW-1";
  stranger.given_name = "Quillon";
  stranger.family_name = "Vexley";
  stranger.dob = "1971-01-01";
  const Result<Population::Added> added = population->Add(stranger);
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(added->new_person);
  EXPECT_GT(added->person_id, "P000900");
}

// Place says what Add would do and changes nothing; Put then gives the
// same population as Add.
TEST(PopulationTest, PlaceThenPutIsAddWithoutChangingAnythingBetween) {
  const SyntheticPopulation people = SyntheticPeople(500, 21);
  const Split split = HoldOutLastRecords(people, 60);
  Result<Population> added = Population::Build(split.batch);
  Result<Population> placed = Population::Build(split.batch);
  ASSERT_TRUE(added.ok() && placed.ok());
  std::size_t joined = 0;
  for (const PersonRecord& r : split.later) {
    const std::size_t size = placed->size();
    const std::size_t count = placed->person_count();
    const Result<Population::Added> where = placed->Place(r);
    ASSERT_TRUE(where.ok()) << where.status().ToString();
    EXPECT_EQ(placed->size(), size);
    EXPECT_EQ(placed->person_count(), count);
    EXPECT_FALSE(placed->Find(r.record_id).has_value());
    const Result<Population::Added> a = added->Add(r);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(where->new_person, a->new_person);
    EXPECT_EQ(where->candidates, a->candidates);
    if (where->new_person) {
      EXPECT_TRUE(where->person_id.empty());
    } else {
      ++joined;
      EXPECT_EQ(where->person_id, a->person_id);
    }
    ASSERT_TRUE(placed->Put(r, a->person_id).ok());
    EXPECT_EQ(placed->Find(r.record_id), std::optional<std::size_t>(size));
  }
  EXPECT_GT(joined, 10u);
  EXPECT_EQ(placed->person_count(), added->person_count());
}

// Put takes another's answer: a record's person moved, its details
// replaced (the old form is never a candidate again), and a repeat of what
// is there changes nothing.
TEST(PopulationTest, PutMovesAndReplacesRecords) {
  const SyntheticPopulation people = SyntheticPeople(500, 22);
  Result<Population> population = Population::Build(people.records);
  ASSERT_TRUE(population.ok());
  // Two records of one person.
  std::size_t a = 0, b = 0;
  for (std::size_t i = 0; i < people.records.size() && b == 0; ++i) {
    for (std::size_t j = i + 1; j < people.records.size(); ++j) {
      if (population->person_of(i) == population->person_of(j)) {
        a = i;
        b = j;
        break;
      }
    }
  }
  ASSERT_NE(b, 0u);
  const std::string person = population->person_of(a);
  const std::size_t size = population->size();
  const std::size_t count = population->person_count();
  // The same again: nothing changes.
  ASSERT_TRUE(population->Put(people.records[b], person).ok());
  EXPECT_EQ(population->size(), size);
  // Moved to a person of its own.
  ASSERT_TRUE(population->Put(people.records[b], "P900001").ok());
  EXPECT_EQ(population->size(), size);
  EXPECT_EQ(population->person_of(b), "P900001");
  EXPECT_EQ(population->person_count(), count + 1);
  // A copy of a's details now joins a's person, not b's.
  PersonRecord copy = people.records[a];
  copy.record_id = "COPY-1";
  Result<Population::Added> where = population->Place(copy);
  ASSERT_TRUE(where.ok());
  EXPECT_EQ(where->person_id, person);
  // Numbers minted from now on are above the one put in.
  PersonRecord stranger;
  stranger.record_id = "NEW-9";
  stranger.given_name = "Quorra";
  stranger.family_name = "Zeddicombe";
  const Result<Population::Added> fresh = population->Add(stranger);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->person_id, "P900002");
  // a's details replaced by the stranger's: the old form is no candidate.
  PersonRecord replaced = stranger;
  replaced.record_id = people.records[a].record_id;
  ASSERT_TRUE(population->Put(replaced, fresh->person_id).ok());
  EXPECT_FALSE(population->current(a));
  ASSERT_TRUE(population->Find(replaced.record_id).has_value());
  EXPECT_EQ(population->record(*population->Find(replaced.record_id)),
            replaced);
  where = population->Place(copy);
  ASSERT_TRUE(where.ok());
  EXPECT_NE(where->best_record_id, people.records[a].record_id);
  EXPECT_FALSE(population->Put(copy, "").ok());
  EXPECT_FALSE(population->Put(PersonRecord{}, "P1").ok());
}

// A "not same" decision keeps an added record out of the person it would
// otherwise join; taking it back lets it join.
TEST(PopulationTest, ADecisionKeepsARecordApart) {
  const SyntheticPopulation people = SyntheticPeople(500, 23);
  Result<Population> population = Population::Build(people.records);
  ASSERT_TRUE(population.ok());
  PersonRecord copy = people.records[0];
  copy.record_id = "COPY-1";
  Result<Population::Added> where = population->Place(copy);
  ASSERT_TRUE(where.ok());
  ASSERT_EQ(where->person_id, population->person_of(0));
  for (std::size_t i = 0; i < population->size(); ++i) {
    if (population->person_of(i) == population->person_of(0)) {
      population->Decide("COPY-1", population->record(i).record_id, false);
    }
  }
  where = population->Place(copy);
  ASSERT_TRUE(where.ok());
  EXPECT_TRUE(where->new_person);
  population->Decide(people.records[0].record_id, "COPY-1", true);
  for (std::size_t i = 1; i < population->size(); ++i) {
    population->Decide(population->record(i).record_id, "COPY-1", true);
  }
  where = population->Place(copy);
  ASSERT_TRUE(where.ok());
  EXPECT_EQ(where->person_id, population->person_of(0));
}

}  // namespace
}  // namespace marac
