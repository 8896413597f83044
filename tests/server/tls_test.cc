// marac-server's transports: TLS, mutual TLS with client certificates that
// identify callers, and development plaintext only on loopback. The
// certificates are throwaway ones that make_test_certs.sh makes with
// openssl for each run.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "marac/v1/assessment.grpc.pb.h"
#include "marac/v1/audit.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

v1::ScoreAssessmentRequest Checklist() {
  v1::ScoreAssessmentRequest request;
  v1::Assessment* a = request.mutable_assessment();
  a->set_assessment_id("AS-TLS");
  a->set_instrument("safelives-ric");
  a->mutable_completed_on()->set_year(2026);
  a->mutable_completed_on()->set_month(2);
  a->mutable_completed_on()->set_day(1);
  for (int q = 1; q <= 24; ++q) (*a->mutable_answers())[q] = v1::ANSWER_NO;
  return request;
}

// One certificate directory for the whole suite, and servers over it.
class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/marac-tls-test-XXXXXX";
    const char* made = mkdtemp(pattern);
    ASSERT_NE(made, nullptr);
    dir_ = new std::filesystem::path(made);
    const std::string command = std::string("sh ") + MARAC_TEST_CERTS_SCRIPT +
                                " " + dir_->string() + " >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string Cert(const std::string& name) {
    return (*dir_ / name).string();
  }

  // A server on 127.0.0.1:0 over a fresh store: TLS, and mutual TLS when
  // `mutual`. Its callers: a referrer by token, the idva of the client
  // certificate (with a token too) and an auditor by token.
  std::unique_ptr<MaracServer> Start(bool mutual) {
    store_dir_ =
        std::filesystem::path(Cert("")) / (mutual ? "mutual" : "server-only");
    std::filesystem::create_directories(store_dir_);
    const std::vector<TestPrincipal> principals = {
        {"u-referrer", "police-north", {"referrer"}, {"north"}, "tok-ref", ""},
        {"idva-north-01",
         "idva-north",
         {"idva"},
         {"north"},
         "tok-idva",
         "CN=idva-north-01"},
        {"u-auditor", "governance", {"auditor"}, {}, "tok-audit", ""}};
    EXPECT_TRUE(WriteTextFile((store_dir_ / "principals.json").string(),
                              PrincipalsJson(principals)));
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.store = (store_dir_ / "marac.db").string();
    config.principals = (store_dir_ / "principals.json").string();
    config.tls = TlsConfig{.certificate = Cert("server.pem"),
                           .private_key = Cert("server.key"),
                           .client_ca = mutual ? Cert("ca.pem") : ""};
    config.shutdown_grace_ms = 1000;
    ServiceOptions options;
    options.today = [] { return kToday; };
    Result<std::unique_ptr<MaracServer>> started =
        MaracServer::Start(config, options);
    EXPECT_TRUE(started.ok()) << started.status();
    return started.ok() ? *std::move(started) : nullptr;
  }

  // A TLS channel trusting the test CA, presenting `client` ("client",
  // "stranger", "rogue"; empty: no certificate).
  static std::shared_ptr<grpc::Channel> Channel(int port,
                                                const std::string& client) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(Cert("ca.pem"));
    if (!client.empty()) {
      ssl.pem_cert_chain = ReadFile(Cert(client + ".pem"));
      ssl.pem_private_key = ReadFile(Cert(client + ".key"));
    }
    // An IP literal: the server's certificate names IP:127.0.0.1 too, and
    // no name is resolved (Debian's c-ares leaks a few bytes per lookup,
    // which LeakSanitizer reports).
    return grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                               grpc::SslCredentials(ssl));
  }

  static grpc::StatusCode Score(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& token) {
    auto stub = v1::AssessmentService::NewStub(channel);
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    v1::ScoreAssessmentResponse response;
    return stub->ScoreAssessment(&context, Checklist(), &response).error_code();
  }

  static std::filesystem::path* dir_;
  std::filesystem::path store_dir_;
};
std::filesystem::path* TlsTest::dir_ = nullptr;

TEST_F(TlsTest, TlsServesTokensAndRefusesPlaintextClients) {
  std::unique_ptr<MaracServer> server = Start(false);
  ASSERT_NE(server, nullptr);
  const auto tls = Channel(server->port(), "");
  EXPECT_EQ(Score(tls, "tok-ref"), grpc::StatusCode::OK);
  EXPECT_EQ(Score(tls, ""), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Score(tls, "tok-wrong"), grpc::StatusCode::UNAUTHENTICATED);
  // Without a client CA the server asks for no certificate, so one sent
  // identifies nobody: the idva still needs its token.
  const auto with_cert = Channel(server->port(), "client");
  EXPECT_EQ(Score(with_cert, ""), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Score(with_cert, "tok-idva"), grpc::StatusCode::OK);
  const auto plaintext =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port()),
                          grpc::InsecureChannelCredentials());
  EXPECT_EQ(Score(plaintext, "tok-ref"), grpc::StatusCode::UNAVAILABLE);
}

struct MutualCase {
  const char* label;
  const char* certificate;  // "": none.
  const char* token;        // "": none.
  grpc::StatusCode want;
};
constexpr MutualCase kMutualCases[] = {
    {"CertificateAlone", "client", "", grpc::StatusCode::OK},
    {"CertificateAndItsToken", "client", "tok-idva", grpc::StatusCode::OK},
    {"CertificateAndAnotherToken", "client", "tok-ref",
     grpc::StatusCode::UNAUTHENTICATED},
    {"CertificateAndABadToken", "client", "tok-wrong",
     grpc::StatusCode::UNAUTHENTICATED},
    {"UnknownCertificateAlone", "stranger", "",
     grpc::StatusCode::UNAUTHENTICATED},
    {"UnknownCertificateAndAToken", "stranger", "tok-ref",
     grpc::StatusCode::OK},
    // The handshake fails: gRPC reports UNAVAILABLE, never reaching us.
    {"NoCertificate", "", "tok-ref", grpc::StatusCode::UNAVAILABLE},
    {"CertificateOfAnotherCa", "rogue", "tok-idva",
     grpc::StatusCode::UNAVAILABLE},
};

TEST_F(TlsTest, MutualTlsIdentifiesCallersByCertificate) {
  std::unique_ptr<MaracServer> server = Start(true);
  ASSERT_NE(server, nullptr);
  for (const MutualCase& c : kMutualCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(Score(Channel(server->port(), c.certificate), c.token), c.want);
  }
}

TEST_F(TlsTest, TheAuditNamesTheCertificateAndTheRequest) {
  std::unique_ptr<MaracServer> server = Start(true);
  ASSERT_NE(server, nullptr);
  const auto channel = Channel(server->port(), "client");
  std::string request_id;
  {
    auto stub = v1::ReferralService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    v1::GetReferralRequest request;
    request.set_referral_id("R-absent");
    request.set_purpose("safety planning");
    v1::GetReferralResponse response;
    EXPECT_EQ(stub->GetReferral(&context, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    const auto id =
        context.GetServerInitialMetadata().find("x-marac-request-id");
    ASSERT_NE(id, context.GetServerInitialMetadata().end());
    request_id = std::string(id->second.data(), id->second.size());
  }
  auto audit = v1::AuditService::NewStub(Channel(server->port(), "stranger"));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer tok-audit");
  v1::ListAuditEntriesRequest request;
  request.set_purpose("audit review");
  v1::ListAuditEntriesResponse response;
  const grpc::Status status =
      audit->ListAuditEntries(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  int of_the_call = 0;
  for (const v1::AuditEntry& e : response.entries()) {
    if (e.request_id() != request_id) continue;
    ++of_the_call;
    EXPECT_EQ(e.peer(), "CN=idva-north-01");
    EXPECT_EQ(e.user(), "idva-north-01");
  }
  // The read, then its refusal.
  EXPECT_EQ(of_the_call, 2);
}

TEST(TransportTest, PlaintextIsRefusedOffLoopback) {
  for (const char* listen : {"0.0.0.0:0", "[::]:0", "10.1.2.3:0"}) {
    SCOPED_TRACE(listen);
    ServerConfig config;
    config.listen = listen;
    config.store = "/nonexistent/never-opened.db";
    config.principals = "/nonexistent/principals.json";
    config.development_plaintext = true;
    const Result<std::unique_ptr<MaracServer>> started =
        MaracServer::Start(config);
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(started.status().message(), HasSubstr("listen"));
  }
}

TEST(TransportTest, ABankHolidayTableThatDoesNotParseIsNoServer) {
  const std::string table =
      (std::filesystem::temp_directory_path() /
       ("marac-holidays-" + std::to_string(::getpid()) + ".csv"))
          .string();
  std::ofstream(table) << "date,name\n2026-02-30,Nonsense\n";
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.store = "/nonexistent/never-opened.db";
  config.principals = "/nonexistent/principals.json";
  config.development_plaintext = true;
  config.bank_holidays = table;
  const Result<std::unique_ptr<MaracServer>> started =
      MaracServer::Start(config);
  std::filesystem::remove(table);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(started.status().message(), HasSubstr("bank_holidays"));
  EXPECT_THAT(started.status().message(), HasSubstr(table + ":2"));
}

TEST(TransportTest, NoTransportIsNoServer) {
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.store = "/nonexistent/never-opened.db";
  const Result<std::unique_ptr<MaracServer>> started =
      MaracServer::Start(config);
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(started.status().message(), HasSubstr("tls"));
}

}  // namespace
}  // namespace marac
