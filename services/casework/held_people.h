// The people a server holds in memory, so that an identity call touches the
// records that share a block with its record, not every stored record. Built
// from the store once (Load: every record, person and review decision,
// resolved in full), then kept current from the store's identity changes
// before every call: records, people and decisions that any server or a
// re-link stored. The store stays the truth: a record's stored person wins
// over what this server would have chosen.
//
//   HeldPeople people(store);
//   people.Load(system_actor);                 // At start, off the calls.
//   Result<HeldPeople::Placed> r = people.Resolve(actor, record, approve);
//
// Every method is thread-safe; calls take turns.
#ifndef MARAC_SERVICES_CASEWORK_HELD_PEOPLE_H_
#define MARAC_SERVICES_CASEWORK_HELD_PEOPLE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "marac/common/deadline.h"
#include "marac/common/result.h"
#include "marac/identity/linkage_model.h"
#include "marac/identity/population.h"
#include "marac/store/store.h"

namespace marac {

class HeldPeople {
 public:
  struct Options {
    // Threads for a Load (0: every core); a Load a call waits for uses 1.
    unsigned threads = 0;
    // Past this many changes to catch up on (a bulk import, a re-link of
    // everyone), Load again instead: at least `reload_at_least`, or this
    // share of the records held.
    std::size_t reload_at_least = 20'000;
    double reload_share = 0.1;
    // Person numbers reserved from the store at a time.
    std::uint64_t number_block = 64;
    // How long a call waits for a Load running elsewhere before it is told
    // to retry (kUnavailable); its own deadline may end the wait sooner.
    std::chrono::milliseconds wait_for_load = std::chrono::seconds(2);
  };

  explicit HeldPeople(Store& store) : HeldPeople(store, Options{}) {}
  HeldPeople(Store& store, Options options);
  HeldPeople(const HeldPeople&) = delete;
  HeldPeople& operator=(const HeldPeople&) = delete;
  ~HeldPeople();

  // Reads the change head, then every record, person and decision, and
  // resolves them in full; the stored people win over the resolution's.
  // Records no one has linked are held under provisional people, stored
  // with a number when a call links a record to one; a load writes
  // nothing. kFailedPrecondition when the records cannot
  // train a model yet (too few, or no pair shares a block): the next call
  // tries again. Under actor.deadline; the store's errors.
  Status Load(const Actor& actor);

  // Loading in progress (a call arriving now is told to retry).
  bool loading() const { return loading_.load(); }
  // Records held (0 before a Load).
  std::size_t size() const;
  // Loads that succeeded: at start, and each reload after a bulk change.
  std::size_t loads() const { return loads_.load(); }

  // Whether the caller may see a record of this area (one of its areas;
  // a record stored before areas has none).
  using InScope = std::function<bool(std::string_view area)>;

  struct Placed {
    std::string person_id;
    bool new_person = false;
    // Stored records in scope to review against it: id and probability.
    std::vector<std::pair<std::string, double>> review;
    // Out of scope: how many records of its person, and pairs for review.
    std::size_t records_elsewhere = 0;
    std::size_t review_elsewhere = 0;
  };
  // Resolves `record` (new, or replacing the stored record with its id):
  // catches up, places it, checks actor.deadline a last time ("before the
  // record was stored"), gives a new person a number, asks `approve` (the
  // answer's disclosure; anything but OK stops here and nothing more is
  // stored), stores the record and its person (with any records no one had
  // linked that it joined), and holds them. kPermissionDenied naming
  // "record.area" when the record's area is out of scope, and
  // "record.record_id" when the record it would replace is.
  // kUnavailable when a Load running elsewhere has not finished within
  // Options::wait_for_load (the call's deadline stops the wait sooner);
  // Load's errors when none has succeeded yet; the store's.
  Result<Placed> Resolve(const Actor& actor, const PersonRecord& record,
                         const InScope& in_scope,
                         const std::function<Status(const Placed&)>& approve);

  struct Explanation {
    double probability = 0;
    double weight = 0;
    std::vector<WeightTerm> terms;
  };
  // Why two stored records do or do not match, under the model held.
  // kPermissionDenied naming "record_id_a" or "record_id_b" for a record
  // not stored or out of scope alike; as Resolve otherwise.
  Result<Explanation> Explain(const Actor& actor, std::string_view record_id_a,
                              std::string_view record_id_b,
                              const InScope& in_scope);

  // Stops a Load in progress (kCancelled) and every later one.
  void Stop();

 private:
  class StopFlag final : public Cancellation {
   public:
    bool cancelled() const override { return stopped.load(); }
    std::atomic<bool> stopped{false};
  };

  // With the lock held: Load when nothing is held, then catch up.
  Status Ready(const Actor& actor, std::unique_lock<std::timed_mutex>& lock);
  Status LoadLocked(const Actor& actor, unsigned threads);
  Status CatchUp(const Actor& actor);
  Result<std::string> NewPersonId(const Actor& actor);
  // Holds a record stored without a person, under a provisional one.
  Status HoldUnlinked(const PersonRecord& record);

  Store& store_;
  const Options options_;
  StopFlag stop_;
  mutable std::timed_mutex mutex_;
  std::atomic<bool> loading_{false};
  std::atomic<std::size_t> loads_{0};
  std::optional<Population> population_;
  std::int64_t seen_ = 0;  // The last identity change held.
  std::uint64_t next_number_ = 0, end_number_ = 0;  // Reserved, unused.
};

}  // namespace marac

#endif  // MARAC_SERVICES_CASEWORK_HELD_PEOPLE_H_
