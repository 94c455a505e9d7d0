package orrery.protocol.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import orrery.protocol.json.Fields;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.ExecutorId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.MasterInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskStatus;

/**
 * An event from the master to a framework: the Mesos v1 scheduler {@code Event} union. OFFERS nests its list in a
 * message ({@code {"offers": {"offers": [...]}}}) exactly as the .proto does.
 */
public record Event(
    Type type,
    Subscribed subscribed,
    Offers offers,
    JsonNode inverseOffers,
    Rescind rescind,
    JsonNode rescindInverseOffer,
    Update update,
    JsonNode updateOperationStatus,
    Message message,
    Failure failure,
    Error error) {

  public Event {
    Fields.required(type, "type");
    switch (type) {
      case UNKNOWN -> throw ProtocolException.invalid("type", "must name an event");
      case SUBSCRIBED -> Fields.required(subscribed, "subscribed");
      case OFFERS -> Fields.required(offers, "offers");
      case RESCIND -> Fields.required(rescind, "rescind");
      case UPDATE -> Fields.required(update, "update");
      case MESSAGE -> Fields.required(message, "message");
      case FAILURE -> Fields.required(failure, "failure");
      case ERROR -> Fields.required(error, "error");
      default -> { }
    }
  }

  public enum Type {
    UNKNOWN, SUBSCRIBED, OFFERS, INVERSE_OFFERS, RESCIND, RESCIND_INVERSE_OFFER, UPDATE, UPDATE_OPERATION_STATUS,
    MESSAGE, FAILURE, ERROR, HEARTBEAT
  }

  public record Subscribed(FrameworkId frameworkId, Double heartbeatIntervalSeconds, MasterInfo masterInfo) {
    public Subscribed {
      Fields.required(frameworkId, "framework_id");
    }
  }

  public record Offers(List<Offer> offers) {
    public Offers {
      offers = Fields.list(offers, "offers");
    }
  }

  public record Rescind(OfferId offerId) {
    public Rescind {
      Fields.required(offerId, "offer_id");
    }
  }

  public record Update(TaskStatus status) {
    public Update {
      Fields.required(status, "status");
    }
  }

  public record Message(AgentId agentId, ExecutorId executorId, byte[] data) {
    public Message {
      Fields.required(agentId, "agent_id");
      Fields.required(executorId, "executor_id");
      Fields.required(data, "data");
    }
  }

  public record Failure(AgentId agentId, ExecutorId executorId, Integer status) {}

  public record Error(String message) {
    public Error {
      Fields.required(message, "message");
    }
  }

  private static Event of(Type type, Subscribed subscribed, Offers offers, Rescind rescind, Update update,
      Failure failure, Error error) {
    return new Event(type, subscribed, offers, null, rescind, null, update, null, null, failure, error);
  }

  public static Event subscribed(FrameworkId frameworkId, double heartbeatIntervalSeconds, MasterInfo masterInfo) {
    return of(Type.SUBSCRIBED, new Subscribed(frameworkId, heartbeatIntervalSeconds, masterInfo), null, null, null,
        null, null);
  }

  public static Event offers(List<Offer> offers) {
    return of(Type.OFFERS, null, new Offers(offers), null, null, null, null);
  }

  public static Event rescind(OfferId offerId) {
    return of(Type.RESCIND, null, null, new Rescind(offerId), null, null, null);
  }

  public static Event update(TaskStatus status) {
    return of(Type.UPDATE, null, null, null, new Update(status), null, null);
  }

  public static Event failure(AgentId agentId) {
    return of(Type.FAILURE, null, null, null, null, new Failure(agentId, null, null), null);
  }

  public static Event error(String message) {
    return of(Type.ERROR, null, null, null, null, null, new Error(message));
  }

  public static Event heartbeat() {
    return of(Type.HEARTBEAT, null, null, null, null, null, null);
  }
}
