package orrery.gateway.operator;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import orrery.gateway.HttpReplies;
import orrery.protocol.bus.Addresses;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.messages.RoleMessages.OfferedResources;
import orrery.protocol.messages.RoleMessages.RoleConfig;
import orrery.protocol.messages.RoleMessages.RoleStates;

/**
 * {@code POST /api/v1}, the Mesos v1 operator HTTP API, for the calls about roles (GET_ROLES, GET_WEIGHTS,
 * UPDATE_WEIGHTS, GET_QUOTA, UPDATE_QUOTA) and about offering agents (DEACTIVATE_AGENT, REACTIVATE_AGENT). A malformed call is answered 400 naming the field; another call of the
 * Mesos operator API is answered 501. The allocator decides updates; this class only moves them and their answers.
 */
public final class OperatorHttpApi {

  private final EventBus bus;

  public OperatorHttpApi(EventBus bus) {
    this.bus = bus;
  }

  public void mount(Router router) {
    router.post("/api/v1").handler(BodyHandler.create().setBodyLimit(1 << 20)).handler(this::call);
  }

  private void call(RoutingContext ctx) {
    JsonObject body = HttpReplies.jsonBody(ctx, "a Mesos v1 operator Call");
    if (body == null) {
      return;
    }
    OperatorCall call;
    try {
      call = OperatorCall.fromJson(body);
    } catch (ProtocolException e) {
      HttpReplies.reject(ctx, 400, e.getMessage());
      return;
    }
    if (call instanceof OperatorCall.Unsupported unsupported) {
      HttpReplies.reject(ctx, 501, unsupported.type() + " is a Mesos operator call that Orrery does not serve");
      return;
    }
    answer(call).onSuccess(json -> {
      if (json == null) {
        ctx.response().setStatusCode(200).end();
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(json.encode());
      }
    }).onFailure(cause -> HttpReplies.fail(ctx, cause));
  }

  /** The JSON to answer with, or null for an empty 200. */
  private Future<JsonObject> answer(OperatorCall call) {
    if (call instanceof OperatorCall.GetRoles) {
      Future<Message<RoleStates>> roles = bus.request(Addresses.ALLOCATOR_ROLES, null);
      Future<Message<OfferedResources>> offered = bus.request(Addresses.OFFERS_OFFERED, null);
      return Future.all(roles, offered).map(v -> OperatorJson.roles(roles.result().body().roles(),
          offered.result().body()));
    }
    if (call instanceof OperatorCall.GetWeights) {
      return roleConfig().map(OperatorJson::weights);
    }
    if (call instanceof OperatorCall.GetQuota) {
      return roleConfig().map(OperatorJson::quota);
    }
    if (call instanceof OperatorCall.SetAgentActive set) {
      // Recorded first, so that a restart keeps it; applied only once recorded.
      return bus.request(Addresses.REGISTRY_AGENT_ACTIVATION, set.change())
          .compose(recorded -> bus.request(Addresses.ALLOCATOR_AGENT_ACTIVATION, set.change())).map(r -> null);
    }
    if (call instanceof OperatorCall.SetWeights set) {
      return bus.request(Addresses.ALLOCATOR_UPDATE_WEIGHTS, set.update()).map(r -> null);
    }
    OperatorCall.SetQuota set = (OperatorCall.SetQuota) call;
    return bus.request(Addresses.ALLOCATOR_UPDATE_QUOTA, set.update()).map(r -> null);
  }

  private Future<RoleConfig> roleConfig() {
    return bus.<RoleConfig>request(Addresses.ALLOCATOR_ROLE_CONFIG, null).map(Message::body);
  }
}
