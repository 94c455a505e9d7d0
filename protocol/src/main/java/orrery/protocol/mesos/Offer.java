package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import orrery.protocol.json.Fields;
import orrery.protocol.json.ProtocolException;

/** Resources of one agent offered to one framework under one role. */
public record Offer(
    OfferId id,
    FrameworkId frameworkId,
    AgentId agentId,
    String hostname,
    Url url,
    JsonNode domain,
    List<Resource> resources,
    List<Attribute> attributes,
    List<ExecutorId> executorIds,
    JsonNode unavailability,
    Resource.AllocationInfo allocationInfo) {

  public Offer {
    Fields.required(id, "id");
    Fields.required(frameworkId, "framework_id");
    Fields.required(agentId, "agent_id");
    Fields.required(hostname, "hostname");
    resources = Fields.list(resources, "resources");
    attributes = Fields.list(attributes, "attributes");
    executorIds = Fields.list(executorIds, "executor_ids");
  }

  /**
   * What a framework may do with offered resources. Orrery runs LAUNCH; the other kinds are read so that a
   * framework sending one gets a clear refusal rather than a parse error.
   */
  public record Operation(
      Type type,
      OperationId id,
      Launch launch,
      JsonNode launchGroup,
      JsonNode reserve,
      JsonNode unreserve,
      JsonNode create,
      JsonNode destroy,
      JsonNode growVolume,
      JsonNode shrinkVolume,
      JsonNode createDisk,
      JsonNode destroyDisk) {

    public Operation {
      Fields.required(type, "type");
      if (type == Type.LAUNCH) {
        Fields.required(launch, "launch");
      }
      if (type == Type.UNKNOWN) {
        throw ProtocolException.invalid("type", "must name an operation");
      }
    }

    public static Operation launch(List<TaskInfo> tasks) {
      return new Operation(Type.LAUNCH, null, new Launch(tasks), null, null, null, null, null, null, null, null,
          null);
    }

    public enum Type {
      UNKNOWN, LAUNCH, LAUNCH_GROUP, RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME, SHRINK_VOLUME, CREATE_DISK,
      DESTROY_DISK
    }

    public record Launch(List<TaskInfo> taskInfos) {
      public Launch {
        taskInfos = Fields.list(taskInfos, "task_infos");
      }
    }
  }
}
