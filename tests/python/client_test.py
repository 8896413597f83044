#!/usr/bin/python3
"""The example Python client against a running marac-server process.

Starts marac-server with TLS (throwaway certificates from
tests/server/make_test_certs.sh) on a free loopback port over a store made
by `marac demo` (invented people only), then scores (the answers sent as
answers_in_order, each result as `marac score` gives it; a question beyond
the form refused as the map's refusal names it), submits a referral
twice under one idempotency key, reads it back, checks the refusals and
their field violations, and stops the server with SIGTERM; the server's
log must never hold the caller's token. Also checks that development
plaintext says so loudly and is refused off loopback.

    client_test.py MARAC_BIN_DIR STUBS_DIR EXAMPLES_DIR
"""

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

BIN_DIR, STUBS_DIR, EXAMPLES_DIR = sys.argv[1:4]
del sys.argv[1:4]
CERTS_SCRIPT = os.path.join(EXAMPLES_DIR, "..", "..", "tests", "server",
                            "make_test_certs.sh")
# A throwaway token for an invented referrer; the server keeps only its hash.
TOKEN = "py-test-token-" + os.urandom(8).hex()
sys.path[:0] = [STUBS_DIR, EXAMPLES_DIR]

import grpc  # noqa: E402

import marac_client  # noqa: E402
from marac.v1 import assessment_pb2, common_pb2, referral_pb2  # noqa: E402

CASE = {
    "assessment_id": "PY-0001", "instrument": "safelives-ric",
    "completed_on": "2026-03-02",
    "answers": {str(q): ("yes" if q in (1, 2, 6, 8, 12, 15, 21) else "no")
                for q in range(1, 25)},
    "incidents_last_12_months": 2,
    "last_marac_referral_on": "2025-06-30",
}

_U = assessment_pb2.ANSWER_UNSPECIFIED
_Y = assessment_pb2.ANSWER_YES
_N = assessment_pb2.ANSWER_NO
_K = assessment_pb2.ANSWER_NOT_KNOWN

# Assessments with questions not asked (in gaps and at the end) and "not
# known" answers, each with the answers_in_order the client must send: one
# element a question up to the last one asked, ANSWER_UNSPECIFIED for a gap.
IN_ORDER_CASES = [
    ("Gaps", "safelives-ric",
     {"1": "yes", "3": "not_known", "4": "no", "9": "yes", "11": "not_known"},
     [_Y, _U, _K, _N, _U, _U, _U, _U, _Y, _U, _K]),
    ("LastQuestionOnly", "safelives-ric", {"24": "yes"}, [_U] * 23 + [_Y]),
    ("AllButTheLastAsked", "safelives-ric",
     {str(q): ("yes" if q % 3 else "not_known") for q in range(1, 24)},
     [_Y if q % 3 else _K for q in range(1, 24)]),
    ("NothingAsked", "safelives-ric", {}, []),
    ("PoliceForm", "police-dash-2009",
     {"2": "yes", "5": "not_known", "27": "yes", "14": "no"},
     [_U, _Y, _U, _U, _K] + [_U] * 8 + [_N] + [_U] * 12 + [_Y]),
    ("Stalking", "s-dash", {"11": "not_known", "1": "yes"},
     [_Y] + [_U] * 9 + [_K]),
]


def in_order_document(label, instrument, answers):
    return {"assessment_id": "PY-" + label, "instrument": instrument,
            "completed_on": "2026-03-02", "answers": answers,
            "incidents_last_12_months": 3}


def as_cli_result(score):
    """A RiskScore in the shape of `marac score`'s result object."""
    def findings(key, items, with_items):
        return [dict({key: f.id, "reason": f.reason},
                     **({"items": list(f.items)} if with_items else {}))
                for f in items]
    result = {
        "assessment_id": score.assessment_id,
        "instrument": score.instrument,
        "instrument_version": score.instrument_version,
        "policy_version": score.policy_version,
        "score": score.score, "answered": score.answered,
        "unanswered": list(score.unanswered_items),
        "not_known": list(score.not_known_items),
        "max_possible_score": score.max_possible_score,
        "grade": common_pb2.Grade.Name(score.grade)[len("GRADE_"):].lower(),
        "incomplete": score.incomplete,
        "could_be_high": score.could_be_high,
        "marac_referral": score.marac_referral,
        "criteria": findings("criterion", score.criteria, False),
        "criteria_not_met": findings("criterion", score.criteria_not_met,
                                     False),
        "high_harm_indicators": findings("indicator",
                                         score.high_harm_indicators, True),
        "prompts": findings("prompt", score.prompts, True),
    }
    if score.HasField("ric_equivalent_score"):
        result["ric_equivalent_score"] = score.ric_equivalent_score
    return result


def write_principals(folder):
    """The principals file: one referrer of police-north, by token hash."""
    path = os.path.join(folder, "principals.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "marac-principals/1", "principals": [
            {"user": "u-py-1", "agency": "police-north",
             "roles": ["referrer"], "areas": ["Eastbrook"],
             "token_sha256": hashlib.sha256(TOKEN.encode()).hexdigest()}]}, f)
    return path


class ServerProcess:
    """marac-server over `store`, on a port it picks; stopped by SIGTERM.
    `transport` is the config's "tls" object, or None for development
    plaintext."""

    def __init__(self, folder, store, transport, name="server.json"):
        config = os.path.join(folder, name)
        document = {"format": "marac-server/1", "listen": "127.0.0.1:0",
                    "store": store, "shutdown_grace_ms": 2000,
                    "principals": write_principals(folder)}
        if transport is None:
            document["development_plaintext"] = True
        else:
            document["tls"] = transport
        with open(config, "w", encoding="utf-8") as f:
            json.dump(document, f)
        self.process = subprocess.Popen(
            [os.path.join(BIN_DIR, "marac-server"), "--config", config],
            stderr=subprocess.PIPE, text=True)
        self.port = None
        self.start_lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            self.start_lines.append(line)
            found = re.search(r"serving on port (\d+)", line)
            if found:
                self.port = int(found.group(1))
                break
        if self.port is None:
            self.process.kill()
            raise RuntimeError("marac-server did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        rest = self.process.stderr.read()
        self.process.stderr.close()
        return code, "".join(self.start_lines) + rest


class ClientTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="marac-py-")
        demo = os.path.join(cls.folder.name, "demo")
        subprocess.run([os.path.join(BIN_DIR, "marac"), "demo", "--out", demo,
                        "--count", "20", "--people", "20"],
                       check=True, capture_output=True)
        cls.store = os.path.join(demo, "marac.db")
        with sqlite3.connect(cls.store) as db:
            cls.victim = db.execute(
                "SELECT record_id FROM records WHERE role = 'victim' "
                "ORDER BY record_id LIMIT 1").fetchone()[0]
        certs = os.path.join(cls.folder.name, "certs")
        subprocess.run(["sh", CERTS_SCRIPT, certs], check=True,
                       capture_output=True)
        cls.ca = os.path.join(certs, "ca.pem")
        cls.server = ServerProcess(cls.folder.name, cls.store, {
            "certificate": os.path.join(certs, "server.pem"),
            "private_key": os.path.join(certs, "server.key")})
        cls.target = f"localhost:{cls.server.port}"
        cls.client = marac_client.Client(cls.target, TOKEN, ca_file=cls.ca)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        code, log = cls.server.stop()
        cls.folder.cleanup()
        if code != 0:
            raise AssertionError(f"marac-server exited {code}: {log}")
        if TOKEN in log or "Bearer" in log:
            raise AssertionError("the server's log holds the token")
        if "(TLS)" not in log:
            raise AssertionError(f"the server did not say TLS: {log}")

    def test_score_matches_the_command_line(self):
        score = self.client.score(marac_client.assessment_from_json(CASE))
        path = os.path.join(self.folder.name, "case.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(CASE, f)
        cli = json.loads(subprocess.run(
            [os.path.join(BIN_DIR, "marac"), "score", path], check=True,
            capture_output=True, text=True).stdout)
        self.assertEqual(score.score, cli["score"])
        self.assertEqual(common_pb2.Grade.Name(score.grade),
                         "GRADE_" + cli["grade"].upper())
        self.assertEqual(score.marac_referral, cli["marac_referral"])
        self.assertEqual([c.id for c in score.criteria],
                         [c["criterion"] for c in cli["criteria"]])
        self.assertEqual(score.instrument_version, cli["instrument_version"])

    def test_a_bad_answer_names_its_field(self):
        bad = dict(CASE, answers=dict(CASE["answers"], **{"25": "yes"}))
        with self.assertRaises(grpc.RpcError) as refused:
            self.client.score(marac_client.assessment_from_json(bad))
        self.assertEqual(refused.exception.code(),
                         grpc.StatusCode.INVALID_ARGUMENT)
        fields = [f for f, _ in
                  marac_client.field_violations(refused.exception)]
        self.assertEqual(fields, ["assessment.answers.25"])

    def test_the_answers_go_in_order(self):
        for label, instrument, answers, want in IN_ORDER_CASES:
            with self.subTest(label):
                assessment = marac_client.assessment_from_json(
                    in_order_document(label, instrument, answers))
                self.assertEqual(list(assessment.answers_in_order), want)
                self.assertEqual(dict(assessment.answers), {})
        # A number no form has stays in the map, which names it.
        assessment = marac_client.assessment_from_json(
            dict(CASE, answers={"2": "yes", "1000": "no"}))
        self.assertEqual(dict(assessment.answers), {2: _Y, 1000: _N})
        self.assertEqual(list(assessment.answers_in_order), [])
        # Keys and answers the map refused are refused as before.
        for answers, error in (({"abc": "yes"}, ValueError),
                               ({"99999999999": "yes"}, ValueError),
                               ({"1": "maybe"}, KeyError)):
            with self.subTest(answers=answers):
                with self.assertRaises(error):
                    marac_client.assessment_from_json(
                        dict(CASE, answers=answers))

    def test_gaps_and_not_known_score_as_the_command_line(self):
        documents = [in_order_document(label, instrument, answers)
                     for label, instrument, answers, _ in IN_ORDER_CASES]
        cli = subprocess.run(
            [os.path.join(BIN_DIR, "marac"), "score", "--jsonl"],
            input="".join(json.dumps(d) + "\n" for d in documents),
            check=True, capture_output=True, text=True).stdout.splitlines()
        self.assertEqual(len(cli), len(documents))
        for document, line in zip(documents, cli):
            with self.subTest(document["assessment_id"]):
                score = self.client.score(
                    marac_client.assessment_from_json(document))
                self.assertEqual(as_cli_result(score), json.loads(line))

    def test_a_question_no_form_has_is_refused_as_the_map_refuses_it(self):
        for question in ("0", "-1", "25", "26", "64", "65", "1000"):
            with self.subTest(question):
                # A future date as well: the refusal lists more than one
                # field, and the count in its message must match too.
                document = dict(CASE, answers={"1": "yes", "3": "no",
                                               question: "no"},
                                completed_on="2999-01-01")
                # The request as the map alone carries it.
                by_map = assessment_pb2.Assessment(
                    assessment_id=CASE["assessment_id"],
                    instrument=CASE["instrument"],
                    completed_on=marac_client.to_date("2999-01-01"),
                    answers={1: _Y, 3: _N, int(question): _N})
                by_map.history.incidents_last_12_months = 2
                by_map.history.last_marac_referral_on.CopyFrom(
                    marac_client.to_date("2025-06-30"))
                with self.assertRaises(grpc.RpcError) as map_refused:
                    self.client.assessments.ScoreAssessment(
                        assessment_pb2.ScoreAssessmentRequest(
                            assessment=by_map),
                        metadata=self.client.metadata, timeout=10)
                with self.assertRaises(grpc.RpcError) as refused:
                    self.client.score(
                        marac_client.assessment_from_json(document))
                got, want = refused.exception, map_refused.exception
                self.assertEqual(got.code(), grpc.StatusCode.INVALID_ARGUMENT)
                self.assertEqual(got.details(), want.details())
                self.assertEqual(marac_client.field_violations(got),
                                 marac_client.field_violations(want))
                self.assertIn(
                    ("assessment.answers." + question,
                     "safelives-ric has questions 1-24"),
                    marac_client.field_violations(got))

    def test_a_retried_referral_is_stored_once(self):
        referral = referral_pb2.Referral(
            area="Eastbrook", source=referral_pb2.REFERRAL_SOURCE_POLICE,
            referred_on=marac_client.to_date("2026-03-03"),
            victim_record_id=self.victim, children_in_household=1)
        referral.criteria.append(common_pb2.CRITERION_VISIBLE_HIGH_RISK)
        first = self.client.submit_referral("py-retry-1", referral)
        again = self.client.submit_referral("py-retry-1", referral)
        self.assertFalse(first.replayed)
        self.assertTrue(again.replayed)
        self.assertEqual(first.referral.referral_id,
                         again.referral.referral_id)
        stored = self.client.get_referral(first.referral.referral_id,
                                          "check the retry")
        self.assertEqual(stored.victim_record_id, self.victim)
        self.assertEqual(stored.agency, "police-north")
        with sqlite3.connect(self.store) as db:
            count = db.execute(
                "SELECT count(*) FROM referrals WHERE submission_id LIKE "
                "'%py-retry-1%'").fetchone()[0]
        self.assertEqual(count, 1)

    def refusal(self, client):
        try:
            with self.assertRaises(grpc.RpcError) as refused:
                client.score(marac_client.assessment_from_json(CASE))
            return refused.exception.code()
        finally:
            client.close()

    def test_a_call_without_caller_is_unauthenticated(self):
        self.assertEqual(
            self.refusal(marac_client.Client(self.target, ca_file=self.ca)),
            grpc.StatusCode.UNAUTHENTICATED)
        self.assertEqual(
            self.refusal(marac_client.Client(self.target, "not-the-token",
                                             ca_file=self.ca)),
            grpc.StatusCode.UNAUTHENTICATED)

    def test_a_plaintext_client_is_refused(self):
        self.assertEqual(
            self.refusal(marac_client.Client(self.target, TOKEN,
                                             plaintext=True)),
            grpc.StatusCode.UNAVAILABLE)

    def test_a_role_the_caller_lacks_is_denied(self):
        self.assertEqual(
            self.refusal(marac_client.Client(self.target, TOKEN,
                                             ca_file=self.ca, role="chair")),
            grpc.StatusCode.PERMISSION_DENIED)

    def test_development_plaintext_says_so_loudly(self):
        folder = os.path.join(self.folder.name, "plain")
        os.makedirs(folder)
        server = ServerProcess(folder, os.path.join(folder, "plain.db"), None)
        try:
            client = marac_client.Client(f"127.0.0.1:{server.port}", TOKEN,
                                         plaintext=True)
            score = client.score(marac_client.assessment_from_json(CASE))
            client.close()
            self.assertEqual(score.score, 7)
        finally:
            code, log = server.stop()
        self.assertEqual(code, 0, log)
        self.assertIn("PLAINTEXT", "".join(server.start_lines))
        self.assertNotIn(TOKEN, log)

    def test_sighup_reloads_the_principals_and_keeps_them_on_a_bad_file(self):
        folder = os.path.join(self.folder.name, "hup")
        os.makedirs(folder)
        server = ServerProcess(folder, os.path.join(folder, "hup.db"), None)
        target = f"127.0.0.1:{server.port}"

        def scores(token):
            client = marac_client.Client(target, token, plaintext=True)
            try:
                return client.score(
                    marac_client.assessment_from_json(CASE)).score == 7
            except grpc.RpcError as error:
                self.assertEqual(error.code(),
                                 grpc.StatusCode.UNAUTHENTICATED)
                return False
            finally:
                client.close()

        def hang_up():
            server.process.send_signal(signal.SIGHUP)
            line = server.process.stderr.readline()
            server.start_lines.append(line)
            return line

        rotated = "py-rotated-" + os.urandom(8).hex()
        try:
            self.assertTrue(scores(TOKEN))
            path = os.path.join(folder, "principals.json")
            with open(path, encoding="utf-8") as f:
                document = json.load(f)
            document["principals"][0]["token_sha256"] = hashlib.sha256(
                rotated.encode()).hexdigest()
            with open(path, "w", encoding="utf-8") as f:
                json.dump(document, f)
            self.assertIn("principals reloaded (1)", hang_up())
            self.assertFalse(scores(TOKEN))
            self.assertTrue(scores(rotated))
            with open(path, "w", encoding="utf-8") as f:
                f.write('{"format": "marac-principals/1"}')
            self.assertIn("principals not reloaded, the previous ones stay",
                          hang_up())
            self.assertTrue(scores(rotated))
            self.assertFalse(scores(TOKEN))
        finally:
            code, log = server.stop()
        self.assertEqual(code, 0, log)
        self.assertNotIn(rotated, log)

    def test_plaintext_off_loopback_is_refused(self):
        config = os.path.join(self.folder.name, "remote.json")
        with open(config, "w", encoding="utf-8") as f:
            json.dump({"format": "marac-server/1", "listen": "0.0.0.0:0",
                       "store": "x.db", "principals": "p.json",
                       "development_plaintext": True}, f)
        run = subprocess.run(
            [os.path.join(BIN_DIR, "marac-server"), "--check-config", config],
            capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("listen", run.stderr)

    def test_the_command_line_client_runs(self):
        path = os.path.join(self.folder.name, "case-cli.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(CASE, f)
        token_file = os.path.join(self.folder.name, "token")
        with open(os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o600),
                  "w", encoding="utf-8") as f:
            f.write(TOKEN + "\n")
        command = [sys.executable,
                   os.path.join(EXAMPLES_DIR, "marac_client.py"),
                   "--server", self.target, "--ca", self.ca]
        env = dict(os.environ, PYTHONPATH=STUBS_DIR)
        env.pop("MARAC_TOKEN", None)
        for extra, run_env in (
                (["--token-file", token_file], env),
                ([], dict(env, MARAC_TOKEN=TOKEN))):
            run = subprocess.run(command + extra + ["score", path],
                                 capture_output=True, text=True, env=run_env)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("PY-0001: score 7", run.stdout)
        anonymous = subprocess.run(command + ["score", path],
                                   capture_output=True, text=True, env=env)
        self.assertEqual(anonymous.returncode, 1)
        self.assertIn("UNAUTHENTICATED", anonymous.stderr)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dict(CASE, answers={"2": "yes", "25": "no"}), f)
        beyond = subprocess.run(command + ["--token-file", token_file,
                                           "score", path],
                                capture_output=True, text=True, env=env)
        self.assertEqual(beyond.returncode, 2)
        self.assertEqual(
            beyond.stderr,
            "marac_client: INVALID_ARGUMENT: assessment.answers.25: "
            "safelives-ric has questions 1-24\n"
            "  assessment.answers.25: safelives-ric has questions 1-24\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
