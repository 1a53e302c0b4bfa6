// The API gateway of a geo: a finite-capacity node that routes each request by operation to
// READ_API, WRITE_SYNC or WRITE_ASYNC (co-located services: no network hop between them).
#pragma once

#include <cstdint>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"

namespace shardsim {

class ReadApi;
class WriteSync;
class WriteAsync;

class ApiGateway {
 public:
  ApiGateway(ModelContext& context, GeoId geo);
  void connect(ReadApi* read_api, WriteSync* write_sync, WriteAsync* write_async);
  void arrive(std::uint64_t id);
  Node& node() { return node_; }

 private:
  void served(std::uint64_t id);

  ModelContext& ctx_;
  GeoId geo_;
  Node node_;
  ReadApi* read_api_ = nullptr;
  WriteSync* write_sync_ = nullptr;
  WriteAsync* write_async_ = nullptr;
};

}  // namespace shardsim
