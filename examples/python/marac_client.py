#!/usr/bin/python3
"""A small client of marac-server, using Debian's python3-grpcio and
python3-protobuf with stubs generated from proto/ at build time.

    MARAC_TOKEN="$(cat ~/.marac-token)" PYTHONPATH=build/python \
        /usr/bin/python3 examples/python/marac_client.py \
        --server marac.example:50051 --ca ca.pem score case.json

The caller is whoever the bearer token names (read from --token-file FILE
or the environment variable MARAC_TOKEN; never from the command line,
where other users of the machine could read it in the process list) or,
under mutual TLS, whoever the client certificate (--client-cert,
--client-key) names. --plaintext is only for a server in
development_plaintext on loopback.

Commands:
  score FILE        score one assessment (the JSON of `marac score`)
  referral ID       read one referral the caller may see
  meetings          list the stored meetings

A refused call prints the status code and, for INVALID_ARGUMENT, each
field violation of the google.rpc.BadRequest in the trailers; exit 2 then,
1 for any other failure.
"""

import argparse
import datetime
import json
import os
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
# No instrument has more questions (docs/server.md, Limits): the most the
# dense answers_in_order can carry.
_MAX_ITEMS = 64
_IN_ORDER = "assessment.answers_in_order"


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


class Client:
    """One channel to marac-server and the caller's credentials.

    token: the bearer token ("" for none: a client certificate may name
    the caller). ca_file: the PEM of the CA that signed the server's
    certificate (None: the system's roots). client_cert, client_key: PEM
    files for mutual TLS. role: one of the caller's roles to act in (""
    for its first). plaintext: no TLS, for a development server only.
    """

    def __init__(self, target, token="", ca_file=None, client_cert=None,
                 client_key=None, role="", plaintext=False, timeout=10.0):
        if plaintext:
            self.channel = grpc.insecure_channel(target)
        else:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=read_file(ca_file) if ca_file else None,
                private_key=read_file(client_key) if client_key else None,
                certificate_chain=(read_file(client_cert)
                                   if client_cert else None))
            self.channel = grpc.secure_channel(target, credentials)
        self.metadata = []
        if token:
            self.metadata.append(("authorization", "Bearer " + token))
        if role:
            self.metadata.append(("x-marac-role", role))
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
        """Scores an assessment message; returns the RiskScore.

        Should the server refuse an answers_in_order sent without the map
        (for a question beyond the instrument's, which the list names by
        position, "[24]"), the call is made once more with the answers in
        the map, whose refusal names each question by its number
        ("assessment.answers.25"): the error raised is that one."""
        request = assessment_pb2.ScoreAssessmentRequest(assessment=assessment)
        try:
            return self._call(self.assessments.ScoreAssessment, request).score
        except grpc.RpcError as error:
            if assessment.answers or not any(
                    field == _IN_ORDER or field.startswith(_IN_ORDER + "[")
                    for field, _ in field_violations(error)):
                raise
        answers_in_order_to_map(request.assessment)
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


def answers_to_in_order(assessment):
    """Moves the map `answers` to answers_in_order: element k answers
    question k+1, ANSWER_UNSPECIFIED marks one not asked, and the list ends
    at the last question asked. A question number no form has (outside
    1..64) stays in the map, which names it in the server's refusal."""
    numbers = list(assessment.answers.keys())
    if not numbers or not all(1 <= n <= _MAX_ITEMS for n in numbers):
        return
    dense = [assessment_pb2.ANSWER_UNSPECIFIED] * max(numbers)
    for number, answer in assessment.answers.items():
        dense[number - 1] = answer
    assessment.ClearField("answers")
    assessment.answers_in_order.extend(dense)


def answers_in_order_to_map(assessment):
    """The reverse of answers_to_in_order: the questions asked, by number."""
    for k, answer in enumerate(assessment.answers_in_order):
        if answer != assessment_pb2.ANSWER_UNSPECIFIED:
            assessment.answers[k + 1] = answer
    assessment.ClearField("answers_in_order")


def assessment_from_json(document):
    """The marac.v1.Assessment for the JSON object `marac score` reads, its
    answers in answers_in_order (see answers_to_in_order)."""
    assessment = assessment_pb2.Assessment(
        assessment_id=document["assessment_id"],
        instrument=document["instrument"],
        completed_on=to_date(document["completed_on"]))
    # Through the map first, so that a key or an answer it refuses fails
    # here as it always has.
    for question, answer in document.get("answers", {}).items():
        assessment.answers[int(question)] = _ANSWERS[answer]
    answers_to_in_order(assessment)
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


def read_token(token_file):
    """The bearer token: the first line of token_file, else MARAC_TOKEN;
    "" when neither is given. ValueError for an empty one."""
    if token_file:
        with open(token_file, encoding="utf-8") as f:
            text, source = f.read(), "--token-file"
    elif "MARAC_TOKEN" in os.environ:
        text, source = os.environ["MARAC_TOKEN"], "MARAC_TOKEN"
    else:
        return ""
    token = text.split("\n", 1)[0].strip()
    if not token or any(ord(c) < 0x20 or ord(c) == 0x7f for c in token):
        raise ValueError(f"{source}: holds no usable token")
    return token


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="localhost:50051")
    parser.add_argument("--token-file",
                        help="a file holding the bearer token (default: "
                             "$MARAC_TOKEN)")
    parser.add_argument("--ca", help="the CA certificate (PEM) that signed "
                                     "the server's")
    parser.add_argument("--client-cert", help="PEM, for mutual TLS")
    parser.add_argument("--client-key", help="PEM, for mutual TLS")
    parser.add_argument("--plaintext", action="store_true",
                        help="no TLS: a development server on loopback only")
    parser.add_argument("--role", default="",
                        help="one of the caller's roles (default: its first)")
    parser.add_argument("--purpose", default="case work")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("score").add_argument("file")
    commands.add_parser("referral").add_argument("referral_id")
    commands.add_parser("meetings")
    args = parser.parse_args(argv)
    if bool(args.client_cert) != bool(args.client_key):
        parser.error("--client-cert and --client-key go together")
    try:
        token = read_token(args.token_file)
    except (OSError, ValueError) as error:
        parser.error(str(error))

    client = Client(args.server, token, ca_file=args.ca,
                    client_cert=args.client_cert, client_key=args.client_key,
                    role=args.role, plaintext=args.plaintext)
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
