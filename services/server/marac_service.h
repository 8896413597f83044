// The marac.v1 services over one store: AssessmentService,
// ReferralService, IdentityService, AgendaService, StatisticsService and
// AuditService,
// on gRPC's callback API. Handlers validate at the edge (convert.h), run
// store work on a bounded pool of worker threads, and acknowledge a
// referral only after the ReferralWriter's commit.
//
//   MaracService service(*store, writer, *scorer, InstrumentSet::BuiltIn(),
//                        {.limits = config.limits});
//   for (grpc::Service* s : service.services()) builder.RegisterService(s);
//   ... server->Shutdown(deadline); service.Stop();
//
// A call's deadline and cancellation reach the work it does: the store's
// reads (every list and load, the agenda's and the statistics' inputs, the
// audit log and its verification) and identity resolution stop once the
// client has gone, answering DEADLINE_EXCEEDED or CANCELLED; a call checks
// again before it writes, and a write once begun is never cut short.
//
// The caller is a Principal, identified by an Authenticator (normally
// PrincipalAuthenticator over the principals file: a bearer token or a
// verified client certificate). Every call is then authorised by the
// rules of access.h before it touches the store; a refusal is
// PERMISSION_DENIED and is audited.
#ifndef MARAC_SERVICES_SERVER_MARAC_SERVICE_H_
#define MARAC_SERVICES_SERVER_MARAC_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "marac/agenda/agenda.h"
#include "marac/assess/instrument.h"
#include "marac/assess/score.h"
#include "marac/calendar/calendar.h"
#include "marac/common/date.h"
#include "marac/common/deadline.h"
#include "marac/store/referral_writer.h"
#include "marac/store/store.h"
#include "services/server/access.h"
#include "services/server/config.h"
#include "services/server/principals.h"
#include "services/wire/rpc_status.h"

namespace marac {

// Identifies the caller of a call, or refuses it (UNAUTHENTICATED).
// Called on gRPC's threads; must be thread-safe and quick. The service
// sets the principal's request_id.
using Authenticator =
    std::function<RpcResult<Principal>(const grpc::CallbackServerContext&)>;

// Today's date in UTC, from the system clock.
Date TodayUtc();

// The Authenticator over `directory`: "authorization: Bearer <token>"
// (hashed, then looked up) and, under mutual TLS, the verified client
// certificate's subject; both must name the same principal when both are
// given. "x-marac-role" picks one of its roles (default: the first); a
// role it does not hold is refused by the service, audited.
// UNAUTHENTICATED naming the header, never its value.
// A token past its token_valid_until (by `today`, UTC) is refused. Each
// call checks `source`'s directory as it is when the call comes.
Authenticator PrincipalAuthenticator(
    std::shared_ptr<const PrincipalSource> source,
    std::function<Date()> today = TodayUtc);

// The store's Actor for `principal` reading or writing for `purpose`,
// with the call's request id and the peer's certificate subject, and
// `deadline` (the call's, for its reads; none by default).
Actor ActorFor(const Principal& principal, std::string purpose,
               const Deadline& deadline = {});

struct ServiceOptions {
  ServerLimits limits;
  int worker_threads = 4;
  PriorityPolicy priority;
  // The England and Wales bank holidays meetings are planned around; empty:
  // the table built into the library (MaracServer::Start loads the
  // configured "bank_holidays" file here).
  std::optional<WorkingCalendar> bank_holidays = {};
  // Empty: every call is UNAUTHENTICATED (MaracServer::Start fills it
  // from the configured principals file).
  Authenticator authenticate = {};
  // Event dates after this are in the future. Tests fix it.
  std::function<Date()> today = TodayUtc;
  // The clock a call's deadline is kept on (empty: the steady clock).
  // Tests make time pass with it exactly where they want.
  std::function<std::chrono::steady_clock::time_point()> steady_now = {};
  // Load the stored people into memory as the service starts, on a thread
  // of its own (identity calls meanwhile are told to retry). Off: the
  // first identity call loads them.
  bool load_people_at_start = true;
  // How long an identity call waits for that load before UNAVAILABLE.
  std::chrono::milliseconds wait_for_people = std::chrono::seconds(2);
  // Where the service says what an operator should know, one line at a
  // time (how the load at start went); empty: nowhere. Called from the
  // service's own threads.
  std::function<void(std::string_view line)> log = {};
  // Registered on the same server beside marac.v1 (not owned; must
  // outlive it): a benchmark's baseline service, for one.
  std::vector<grpc::Service*> extra_services = {};
  // For tests of lost answers: asked, with the method's name
  // ("AgendaService.GenerateAgenda"), once a write has committed; true
  // replaces the call's answer with UNAVAILABLE, as a connection dropped
  // after the commit would. Empty: never.
  std::function<bool(std::string_view method)> lose_answer_after_commit = {};
};

class MaracService {
 public:
  // `store` and `writer` (over that store) must outlive this object.
  MaracService(Store& store, ReferralWriter& writer, Scorer scorer,
               InstrumentSet instruments, ServiceOptions options);
  MaracService(const MaracService&) = delete;
  MaracService& operator=(const MaracService&) = delete;
  ~MaracService();  // Stop().

  // The gRPC services to register; owned by this object.
  std::vector<grpc::Service*> services();
  // The fully qualified service names, for health checking.
  static std::vector<std::string> ServiceNames();

  // Finishes the queued work and joins the worker threads. Call after the
  // server's Shutdown has returned (no call is then in flight).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marac

#endif  // MARAC_SERVICES_SERVER_MARAC_SERVICE_H_
