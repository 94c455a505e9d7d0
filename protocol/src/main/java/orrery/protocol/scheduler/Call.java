package orrery.protocol.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import orrery.protocol.json.Fields;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.ExecutorId;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.KillPolicy;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskId;

/**
 * A call from a framework to the master: the Mesos v1 scheduler {@code Call}, a union whose {@code type} says which
 * of the other fields is set. A call that exists is well-formed: the field its type needs is present, and every
 * call but SUBSCRIBE names its framework.
 */
public record Call(
    FrameworkId frameworkId,
    Type type,
    Subscribe subscribe,
    Accept accept,
    Decline decline,
    JsonNode acceptInverseOffers,
    JsonNode declineInverseOffers,
    Revive revive,
    Kill kill,
    Shutdown shutdown,
    Acknowledge acknowledge,
    JsonNode acknowledgeOperationStatus,
    Reconcile reconcile,
    JsonNode reconcileOperations,
    Message message,
    JsonNode request,
    Suppress suppress,
    JsonNode updateFramework) {

  public Call {
    Fields.required(type, "type");
    switch (type) {
      case UNKNOWN -> throw ProtocolException.invalid("type", "must name a call");
      case SUBSCRIBE -> Fields.required(subscribe, "subscribe");
      case ACCEPT -> Fields.required(accept, "accept");
      case DECLINE -> Fields.required(decline, "decline");
      case KILL -> Fields.required(kill, "kill");
      case SHUTDOWN -> Fields.required(shutdown, "shutdown");
      case ACKNOWLEDGE -> Fields.required(acknowledge, "acknowledge");
      case MESSAGE -> Fields.required(message, "message");
      default -> { }
    }
    if (type != Type.SUBSCRIBE) {
      Fields.required(frameworkId, "framework_id");
    } else if (frameworkId != null && !frameworkId.equals(subscribe.frameworkInfo().id())) {
      throw ProtocolException.invalid("framework_id", "must equal 'subscribe.framework_info.id'");
    }
  }

  public enum Type {
    UNKNOWN, SUBSCRIBE, TEARDOWN, ACCEPT, DECLINE, ACCEPT_INVERSE_OFFERS, DECLINE_INVERSE_OFFERS, REVIVE, KILL,
    SHUTDOWN, ACKNOWLEDGE, ACKNOWLEDGE_OPERATION_STATUS, RECONCILE, RECONCILE_OPERATIONS, MESSAGE, REQUEST,
    SUPPRESS, UPDATE_FRAMEWORK
  }

  public record Subscribe(FrameworkInfo frameworkInfo, List<String> suppressedRoles, JsonNode offerConstraints) {
    public Subscribe {
      Fields.required(frameworkInfo, "framework_info");
      suppressedRoles = Fields.list(suppressedRoles, "suppressed_roles");
    }
  }

  public record Accept(List<OfferId> offerIds, List<Offer.Operation> operations, Filters filters) {
    public Accept {
      offerIds = Fields.list(offerIds, "offer_ids");
      operations = Fields.list(operations, "operations");
    }
  }

  public record Decline(List<OfferId> offerIds, Filters filters) {
    public Decline {
      offerIds = Fields.list(offerIds, "offer_ids");
    }
  }

  public record Revive(List<String> roles) {
    public Revive {
      roles = Fields.list(roles, "roles");
    }
  }

  public record Suppress(List<String> roles) {
    public Suppress {
      roles = Fields.list(roles, "roles");
    }
  }

  public record Kill(TaskId taskId, AgentId agentId, KillPolicy killPolicy) {
    public Kill {
      Fields.required(taskId, "task_id");
    }
  }

  public record Shutdown(ExecutorId executorId, AgentId agentId) {
    public Shutdown {
      Fields.required(executorId, "executor_id");
      Fields.required(agentId, "agent_id");
    }
  }

  public record Acknowledge(AgentId agentId, TaskId taskId, byte[] uuid) {
    public Acknowledge {
      Fields.required(agentId, "agent_id");
      Fields.required(taskId, "task_id");
      Fields.required(uuid, "uuid");
    }
  }

  public record Reconcile(List<Task> tasks) {
    public Reconcile {
      tasks = Fields.list(tasks, "tasks");
    }

    public record Task(TaskId taskId, AgentId agentId) {
      public Task {
        Fields.required(taskId, "task_id");
      }
    }
  }

  public record Message(AgentId agentId, ExecutorId executorId, byte[] data) {
    public Message {
      Fields.required(agentId, "agent_id");
      Fields.required(executorId, "executor_id");
      Fields.required(data, "data");
    }
  }

  private static Call of(FrameworkId frameworkId, Type type) {
    return new Call(frameworkId, type, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  public static Call subscribe(FrameworkInfo info) {
    return new Call(info.id(), Type.SUBSCRIBE, new Subscribe(info, null, null), null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null);
  }

  public static Call accept(FrameworkId frameworkId, List<OfferId> offerIds, List<Offer.Operation> operations,
      Filters filters) {
    return new Call(frameworkId, Type.ACCEPT, null, new Accept(offerIds, operations, filters), null, null, null,
        null, null, null, null, null, null, null, null, null, null, null);
  }

  public static Call decline(FrameworkId frameworkId, List<OfferId> offerIds, Filters filters) {
    return new Call(frameworkId, Type.DECLINE, null, null, new Decline(offerIds, filters), null, null, null, null,
        null, null, null, null, null, null, null, null, null);
  }

  public static Call revive(FrameworkId frameworkId, List<String> roles) {
    return new Call(frameworkId, Type.REVIVE, null, null, null, null, null, new Revive(roles), null, null, null,
        null, null, null, null, null, null, null);
  }

  public static Call suppress(FrameworkId frameworkId, List<String> roles) {
    return new Call(frameworkId, Type.SUPPRESS, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, new Suppress(roles), null);
  }

  public static Call kill(FrameworkId frameworkId, TaskId taskId, AgentId agentId) {
    return new Call(frameworkId, Type.KILL, null, null, null, null, null, null, new Kill(taskId, agentId, null),
        null, null, null, null, null, null, null, null, null);
  }

  public static Call acknowledge(FrameworkId frameworkId, AgentId agentId, TaskId taskId, byte[] uuid) {
    return new Call(frameworkId, Type.ACKNOWLEDGE, null, null, null, null, null, null, null, null,
        new Acknowledge(agentId, taskId, uuid), null, null, null, null, null, null, null);
  }

  public static Call reconcile(FrameworkId frameworkId, List<Reconcile.Task> tasks) {
    return new Call(frameworkId, Type.RECONCILE, null, null, null, null, null, null, null, null, null, null,
        new Reconcile(tasks), null, null, null, null, null);
  }

  public static Call teardown(FrameworkId frameworkId) {
    return of(frameworkId, Type.TEARDOWN);
  }
}
