#!/usr/bin/python3
"""A small client of marac-server, using Debian's python3-grpcio and
python3-protobuf with stubs generated from proto/ at build time.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/marac_client.py \
        --server 127.0.0.1:50051 --user u-17 --role referrer \
        --agency "police-north" score case.json

Commands:
  score FILE        score one assessment (the JSON of `marac score`)
  referral ID       read one referral of the caller's agency
  meetings          list the stored meetings

A refused call prints the status code and, for INVALID_ARGUMENT, each
field violation of the google.rpc.BadRequest in the trailers; exit 2 then,
1 for any other failure.
"""

import argparse
import datetime
import json
import sys

import grpc

from google.rpc import error_details_pb2, status_pb2
from marac.v1 import (agenda_pb2, agenda_pb2_grpc, assessment_pb2,
                      assessment_pb2_grpc, common_pb2, referral_pb2,
                      referral_pb2_grpc)

_ANSWERS = {
    "yes": assessment_pb2.ANSWER_YES,
    "no": assessment_pb2.ANSWER_NO,
    "not_known": assessment_pb2.ANSWER_NOT_KNOWN,
}


class Client:
    """One channel to marac-server and the caller's identity."""

    def __init__(self, target, user, role, agency="", timeout=10.0):
        self.channel = grpc.insecure_channel(target)
        self.metadata = [("x-marac-user", user), ("x-marac-role", role)]
        if agency:
            self.metadata.append(("x-marac-agency", agency))
        self.timeout = timeout
        self.assessments = assessment_pb2_grpc.AssessmentServiceStub(
            self.channel)
        self.referrals = referral_pb2_grpc.ReferralServiceStub(self.channel)
        self.agendas = agenda_pb2_grpc.AgendaServiceStub(self.channel)

    def close(self):
        self.channel.close()

    def _call(self, method, request):
        return method(request, metadata=self.metadata, timeout=self.timeout)

    def score(self, assessment):
        """Scores an assessment message; returns the RiskScore."""
        request = assessment_pb2.ScoreAssessmentRequest(assessment=assessment)
        return self._call(self.assessments.ScoreAssessment, request).score

    def submit_referral(self, request_id, referral):
        """Submits a referral under an idempotency key: a retry with the same
        key returns the stored referral (replayed) instead of a second."""
        request = referral_pb2.SubmitReferralRequest(request_id=request_id,
                                                     referral=referral)
        return self._call(self.referrals.SubmitReferral, request)

    def get_referral(self, referral_id, purpose):
        request = referral_pb2.GetReferralRequest(referral_id=referral_id,
                                                  purpose=purpose)
        return self._call(self.referrals.GetReferral, request).referral

    def list_meetings(self, purpose, area=""):
        request = agenda_pb2.ListMeetingsRequest(area=area, purpose=purpose)
        return list(self._call(self.agendas.ListMeetings, request).meetings)


def to_date(text):
    """A marac.v1.Date from YYYY-MM-DD (ValueError for an impossible one)."""
    day = datetime.date.fromisoformat(text)
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


def assessment_from_json(document):
    """The marac.v1.Assessment for the JSON object `marac score` reads."""
    assessment = assessment_pb2.Assessment(
        assessment_id=document["assessment_id"],
        instrument=document["instrument"],
        completed_on=to_date(document["completed_on"]))
    for question, answer in document.get("answers", {}).items():
        assessment.answers[int(question)] = _ANSWERS[answer]
    history = assessment.history
    if "incidents_last_12_months" in document:
        history.incidents_last_12_months = document["incidents_last_12_months"]
    if document.get("last_marac_referral_on"):
        history.last_marac_referral_on.CopyFrom(
            to_date(document["last_marac_referral_on"]))
    return assessment


def field_violations(error):
    """(field, description) pairs of the google.rpc.BadRequest that an
    INVALID_ARGUMENT carries in its grpc-status-details-bin trailer."""
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            bad = error_details_pb2.BadRequest()
            if detail.Unpack(bad):
                return [(v.field, v.description)
                        for v in bad.field_violations]
    return []


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--user", required=True)
    parser.add_argument("--role", required=True)
    parser.add_argument("--agency", default="")
    parser.add_argument("--purpose", default="case work")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("score").add_argument("file")
    commands.add_parser("referral").add_argument("referral_id")
    commands.add_parser("meetings")
    args = parser.parse_args(argv)

    client = Client(args.server, args.user, args.role, args.agency)
    try:
        if args.command == "score":
            with open(args.file, encoding="utf-8") as f:
                assessment = assessment_from_json(json.load(f))
            score = client.score(assessment)
            grade = common_pb2.Grade.Name(score.grade)
            print(f"{score.assessment_id}: score {score.score}, {grade}, "
                  f"MARAC referral {'yes' if score.marac_referral else 'no'}")
            for finding in score.criteria:
                print(f"  {finding.id}: {finding.reason}")
        elif args.command == "referral":
            print(client.get_referral(args.referral_id, args.purpose))
        else:
            for meeting in client.list_meetings(args.purpose):
                print(meeting)
    except grpc.RpcError as error:
        print(f"marac_client: {error.code().name}: {error.details()}",
              file=sys.stderr)
        for field, description in field_violations(error):
            print(f"  {field}: {description}", file=sys.stderr)
        return 2 if error.code() == grpc.StatusCode.INVALID_ARGUMENT else 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
