#!/usr/bin/env bash
# Writes the seeds of rpc_request_fuzz into tests/fuzz/seeds/rpc_request/:
# one valid request of each kind the target reads (and a few with a field
# broken), each file the selector byte the target reads first, then the
# message serialized by protoc --encode from the text below. Every person
# named is invented. Rerun after changing the list; review and commit the
# files (small and binary).
#   tests/fuzz/rpc_request_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fuzz/seeds/rpc_request
mkdir -p "$out"

# seed NAME SELECTOR MESSAGE TEXT: SELECTOR is the first byte (0x00-0x0b the
# request kind, 0x10 added for the tiny limits).
seed() {
  local name="$1" selector="$2" message="$3" text="$4"
  local file="$out/$name.bin"
  printf "\\x$selector" >"$file"
  printf '%s\n' "$text" |
    protoc -I proto --encode="marac.v1.$message" marac/v1/assessment.proto \
      marac/v1/referral.proto marac/v1/linkage.proto marac/v1/agenda.proto \
      marac/v1/statistics.proto >>"$file"
}

assessment='assessment {
  assessment_id: "PX-0001" instrument: "safelives-ric"
  completed_on { year: 2026 month: 2 day: 14 }
  answers { key: 1 value: ANSWER_YES } answers { key: 2 value: ANSWER_YES }
  answers { key: 3 value: ANSWER_NO } answers { key: 6 value: ANSWER_YES }
  answers { key: 8 value: ANSWER_NOT_KNOWN } answers { key: 12 value: ANSWER_YES }
  answers { key: 15 value: ANSWER_YES } answers { key: 21 value: ANSWER_NO }
  history {
    incident_on { year: 2026 month: 2 day: 13 }
    incident_dates { year: 2025 month: 11 day: 2 }
    incident_dates { year: 2026 month: 2 day: 13 }
    last_marac_referral_on { year: 2025 month: 6 day: 30 }
    professional_judgement: PROFESSIONAL_JUDGEMENT_REFER
    professional_judgement_reason: "threats to a new partner"
  }
}'
seed score 00 ScoreAssessmentRequest "$assessment"
seed score_tiny_limits 10 ScoreAssessmentRequest "$assessment"
seed score_dash 00 ScoreAssessmentRequest 'assessment {
  assessment_id: "PX-0002" instrument: "police-dash-2009"
  completed_on { year: 2026 month: 1 day: 5 }
  answers { key: 1 value: ANSWER_YES } answers { key: 27 value: ANSWER_YES }
  history { incidents_last_12_months: 4 }
}'
seed score_sdash 00 ScoreAssessmentRequest 'assessment {
  assessment_id: "PX-0003" instrument: "s-dash"
  completed_on { year: 2026 month: 1 day: 5 }
  answers { key: 5 value: ANSWER_YES } answers { key: 9 value: ANSWER_NO }
}'
seed score_broken 00 ScoreAssessmentRequest 'assessment {
  assessment_id: "PX 0004" instrument: "safelives-rik"
  completed_on { year: 2026 month: 2 day: 30 }
  answers { key: 0 value: ANSWER_UNSPECIFIED } answers { key: 99 value: ANSWER_YES }
  history { incidents_last_12_months: -1
            incident_dates { year: 2026 month: 1 day: 1 }
            professional_judgement_reason: "no judgement given" }
}'
seed stream 01 StreamScoreAssessmentsRequest "$assessment"

referral='request_id: "req-0001"
referral {
  area: "north" source: REFERRAL_SOURCE_POLICE
  referred_on { year: 2026 month: 2 day: 16 }
  victim_record_id: "V1" perpetrator_record_ids: "P1"
  incident_id: "INC-77" assessment_id: "PX-0001"
  criteria: CRITERION_VISIBLE_HIGH_RISK criteria: CRITERION_REPEAT
  children_in_household: 2
}'
seed submit_referral 02 SubmitReferralRequest "$referral"
seed submit_referral_tiny_limits 12 SubmitReferralRequest "$referral"
seed submit_referral_broken 02 SubmitReferralRequest 'request_id: ""
referral {
  referral_id: "R-1" agency: "someone" area: "no\tth"
  source: REFERRAL_SOURCE_UNSPECIFIED referred_on { year: 1989 month: 1 day: 1 }
  victim_record_id: "V1" perpetrator_record_ids: "V1"
  criteria: CRITERION_REPEAT criteria: CRITERION_REPEAT criteria: CRITERION_UNSPECIFIED
  children_in_household: 51
}'
seed get_referral 03 GetReferralRequest 'referral_id: "R-00ff00ff00ff00ff" purpose: "case review"'
seed list_referrals 04 ListReferralsRequest 'purpose: "meeting preparation" area: "north"
referred_until { year: 2026 month: 2 day: 28 } page_size: 50'
seed resolve_record 05 ResolveRecordRequest 'purpose: "linking a new police record"
record {
  record_id: "POL-991" source: "police" given_name: "Ceridwen" middle_name: "Ann"
  family_name: "Inventedley" previous_family_names: "Madeupson"
  date_of_birth { year: 1991 month: 7 day: 4 } gender: "female"
  postcode: "SW1A 1AA" address_line: "7 Nowhere Row" town: "Testbury"
  email: "ceri@example.org" other_id: "QQ123456C" role: PERSON_ROLE_VICTIM
  incident_id: "INC-77" trusted_id: "PNC-0001"
}'
seed resolve_record_tiny_limits 15 ResolveRecordRequest 'purpose: "a purpose longer than sixteen bytes"
record { record_id: "POL-992" source: "police"
  family_name: "Averyveryverylongsurname" previous_family_names: "A"
  previous_family_names: "B" previous_family_names: "C" previous_family_names: "D" }'
seed explain_match 06 ExplainMatchRequest 'record_id_a: "POL-991" record_id_b: "IDVA-12" purpose: "clerical review"'
seed review_decision 07 RecordReviewDecisionRequest 'record_id_a: "POL-991" record_id_b: "IDVA-12"
verdict: REVIEW_VERDICT_SAME purpose: "clerical review"'
seed generate_agenda 08 GenerateAgendaRequest 'area: "north" meeting_date { year: 2026 month: 3 day: 10 }
referral_cutoff { year: 2026 month: 3 day: 3 } capacity_cases: 12 capacity_minutes: 180
save: true purpose: "agenda for the March meeting" format: OUTPUT_FORMAT_MARKDOWN'
seed generate_agenda_no_cutoff 08 GenerateAgendaRequest 'area: "north" meeting_date { year: 2026 month: 3 day: 10 }
capacity_cases: 12 purpose: "agenda"'
seed get_agenda 09 GetAgendaRequest 'agenda_id: "AG-M-2026-03-10-north" purpose: "circulation"'
seed list_meetings 0a ListMeetingsRequest 'area: "north" purpose: "planning" page_size: 10 page_token: "abc"'
seed statistics 0b GetStatisticsRequest 'period_start { year: 2025 month: 4 day: 1 }
period_end { year: 2026 month: 3 day: 31 } adult_women: 120000 purpose: "quarterly return"
format: OUTPUT_FORMAT_HTML area: "north"'
ls -l "$out"
