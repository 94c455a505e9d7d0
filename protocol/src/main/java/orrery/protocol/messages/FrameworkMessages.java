package orrery.protocol.messages;

import java.util.List;
import orrery.protocol.json.Fields;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;

/** Messages about frameworks and the connections they are reached on. */
public final class FrameworkMessages {

  private FrameworkMessages() {}

  public record FrameworkRef(FrameworkId frameworkId) {
    public FrameworkRef {
      Fields.required(frameworkId, "framework_id");
    }
  }

  /** Offer-service to registry: a framework subscribed ({@code info.id} set). */
  public record FrameworkSubscribed(FrameworkInfo info) {
    public FrameworkSubscribed {
      Fields.required(info, "info");
      Fields.required(info.id(), "info.id");
    }
  }

  /**
   * Gateway to offer-service: the connection now listens on the framework's event address (after SUBSCRIBE; or, to
   * an offer broker that took over, still listens).
   */
  public record FrameworkConnected(FrameworkId frameworkId, String connection) {
    public FrameworkConnected {
      Fields.required(frameworkId, "framework_id");
      Fields.requiredText(connection, "connection");
    }
  }

  /** Gateway to offer-service: an HTTP event stream or bridge socket has closed. */
  public record ConnectionClosed(String connection) {
    public ConnectionClosed {
      Fields.requiredText(connection, "connection");
    }
  }

  /** Gateway to offer-service: may this connection listen on that framework's events? */
  public record MayRegister(FrameworkId frameworkId, String connection) {
    public MayRegister {
      Fields.required(frameworkId, "framework_id");
      Fields.requiredText(connection, "connection");
    }
  }

  public record Permission(boolean allowed) {}

  /** Offer-service to registry: the framework's connection closed; it is torn down at the deadline (epoch ms). */
  public record FrameworkDisconnected(FrameworkId frameworkId, long failoverDeadlineMillis) {
    public FrameworkDisconnected {
      Fields.required(frameworkId, "framework_id");
    }
  }

  /**
   * A framework as the registry recorded it, for an offer-service that starts: one that was torn down never comes
   * back; one that was disconnected keeps its deadline.
   */
  public record KnownFramework(FrameworkInfo info, boolean removed, Long failoverDeadlineMillis) {
    public KnownFramework {
      Fields.required(info, "info");
      Fields.required(info.id(), "info.id");
    }
  }

  public record KnownFrameworks(List<KnownFramework> frameworks) {
    public KnownFrameworks {
      frameworks = Fields.list(frameworks, "frameworks");
    }
  }
}
