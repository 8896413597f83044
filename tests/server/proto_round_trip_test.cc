// Every message of the wire API survives serialisation with every field
// set, and the API follows its own rules: enum zero values are
// *_UNSPECIFIED, services end in Service, each RPC has its own messages.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "marac/v1/agenda.pb.h"
#include "marac/v1/assessment.pb.h"
#include "marac/v1/common.pb.h"
#include "marac/v1/linkage.pb.h"
#include "marac/v1/referral.pb.h"
#include "marac/v1/statistics.pb.h"

namespace marac {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct FileCase {
  const char* label;
  const FileDescriptor* (*file)();
};
// One message of each file, so that the linker keeps every file.
const FileCase kFiles[] = {
    {"Common", [] { return v1::Date::descriptor()->file(); }},
    {"Assessment", [] { return v1::Assessment::descriptor()->file(); }},
    {"Referral", [] { return v1::Referral::descriptor()->file(); }},
    {"Linkage", [] { return v1::PersonRecord::descriptor()->file(); }},
    {"Agenda", [] { return v1::Agenda::descriptor()->file(); }},
    {"Statistics", [] { return v1::Statistics::descriptor()->file(); }},
    {"RpcStatus", [] { return google::rpc::Status::descriptor()->file(); }},
    {"RpcErrorDetails",
     [] { return google::rpc::BadRequest::descriptor()->file(); }},
};

// Sets every field of `m` to a value that is not its default, `seed`
// varying them; message fields to `depth` levels.
void Fill(Message& m, int seed, int depth) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    // One member of a oneof: the last one set wins, so set only the first.
    if (f->real_containing_oneof() != nullptr && f->index_in_oneof() != 0) {
      continue;
    }
    const int v = seed + i + 1;
    const int copies = f->is_repeated() ? 2 : 1;
    for (int k = 0; k < copies; ++k) {
      const int value = v + 100 * k;
      const bool add = f->is_repeated();
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          add ? r->AddInt32(&m, f, value) : r->SetInt32(&m, f, value);
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          add ? r->AddInt64(&m, f, value) : r->SetInt64(&m, f, value);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
        case FieldDescriptor::CPPTYPE_UINT64:
        case FieldDescriptor::CPPTYPE_FLOAT:
          FAIL() << f->full_name() << ": a type the API does not use";
        case FieldDescriptor::CPPTYPE_DOUBLE:
          add ? r->AddDouble(&m, f, value + 0.5)
              : r->SetDouble(&m, f, value + 0.5);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          add ? r->AddBool(&m, f, true) : r->SetBool(&m, f, true);
          break;
        case FieldDescriptor::CPPTYPE_STRING: {
          const std::string s = "s" + std::to_string(value);
          add ? r->AddString(&m, f, s) : r->SetString(&m, f, s);
          break;
        }
        case FieldDescriptor::CPPTYPE_ENUM: {
          const EnumDescriptor* e = f->enum_type();
          const int n = e->value(e->value_count() - 1)->number();
          add ? r->AddEnumValue(&m, f, n) : r->SetEnumValue(&m, f, n);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth <= 0) break;
          Fill(add ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), value,
               depth - 1);
          break;
      }
    }
  }
}

TEST(ProtoRoundTripTest, EveryMessageSurvivesWithEveryFieldSet) {
  int messages = 0;
  for (const FileCase& c : kFiles) {
    SCOPED_TRACE(c.label);
    const FileDescriptor* file = c.file();
    std::vector<const Descriptor*> pending;
    for (int i = 0; i < file->message_type_count(); ++i) {
      pending.push_back(file->message_type(i));
    }
    while (!pending.empty()) {
      const Descriptor* d = pending.back();
      pending.pop_back();
      for (int i = 0; i < d->nested_type_count(); ++i) {
        pending.push_back(d->nested_type(i));
      }
      SCOPED_TRACE(d->full_name());
      const Message* prototype =
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(
              d);
      ASSERT_NE(prototype, nullptr);
      std::unique_ptr<Message> original(prototype->New());
      Fill(*original, 0, 3);
      const std::string bytes = original->SerializeAsString();
      std::unique_ptr<Message> parsed(prototype->New());
      ASSERT_TRUE(parsed->ParseFromString(bytes));
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*original,
                                                                     *parsed));
      ++messages;
    }
  }
  EXPECT_GT(messages, 40);
}

TEST(ProtoRoundTripTest, TheApiFollowsItsOwnRules) {
  for (const FileCase& c : kFiles) {
    const FileDescriptor* file = c.file();
    if (file->package() != "marac.v1") continue;
    SCOPED_TRACE(c.label);
    for (int i = 0; i < file->enum_type_count(); ++i) {
      const EnumDescriptor* e = file->enum_type(i);
      SCOPED_TRACE(e->full_name());
      EXPECT_EQ(e->value(0)->number(), 0);
      EXPECT_TRUE(e->value(0)->name().ends_with("_UNSPECIFIED"));
    }
    std::set<std::string> messages_used;
    for (int i = 0; i < file->service_count(); ++i) {
      const auto* service = file->service(i);
      SCOPED_TRACE(service->full_name());
      EXPECT_TRUE(service->name().ends_with("Service"));
      for (int k = 0; k < service->method_count(); ++k) {
        const auto* method = service->method(k);
        EXPECT_EQ(method->input_type()->name(), method->name() + "Request");
        EXPECT_EQ(method->output_type()->name(), method->name() + "Response");
        EXPECT_TRUE(messages_used.insert(method->input_type()->name()).second);
      }
    }
  }
}

}  // namespace
}  // namespace marac
