#include "shardsim/model/api_gateway.h"

#include "shardsim/model/client.h"
#include "shardsim/model/read_api.h"
#include "shardsim/model/write_async.h"
#include "shardsim/model/write_sync.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim {

ApiGateway::ApiGateway(ModelContext& context, GeoId geo)
    : ctx_(context),
      geo_(geo),
      node_(context.sim, node_names::front_end(node_names::FrontEnd::kApiGateway, context.scenario.geos[geo]),
            geo, context.scenario.front_ends[geo].api_gateway, context.seed(),
            Callback::to<&ApiGateway::served>(this)) {}

void ApiGateway::connect(ReadApi* read_api, WriteSync* write_sync, WriteAsync* write_async) {
  read_api_ = read_api;
  write_sync_ = write_sync;
  write_async_ = write_async;
}

void ApiGateway::arrive(std::uint64_t id) {
  if (!node_.submit(id)) ctx_.clients->fail(geo_, static_cast<std::uint32_t>(id));
}

void ApiGateway::served(std::uint64_t id) {
  switch (ctx_.requests[static_cast<std::uint32_t>(id)].op) {
    case Operation::kRead:
      read_api_->arrive(id);
      break;
    case Operation::kSyncWrite:
      write_sync_->arrive(id);
      break;
    case Operation::kAsyncWrite:
      write_async_->arrive(id);
      break;
    case Operation::kStatic:
    case Operation::kCount:
      break;  // static requests end at the CDN edge
  }
}

}  // namespace shardsim
