package orrery.protocol.bus;

import io.vertx.core.eventbus.EventBus;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import orrery.protocol.messages.AgentMessages;
import orrery.protocol.messages.AllocatorMessages;
import orrery.protocol.messages.FrameworkMessages;
import orrery.protocol.messages.RestTaskMessages;
import orrery.protocol.messages.RoleMessages;
import orrery.protocol.messages.ServiceHealth;
import orrery.protocol.messages.TaskMessages;

/** Registers the {@link JsonCodec} of every internal message record, once per event bus. */
public final class BusCodecs {

  private static final List<Class<?>> MESSAGES = List.of(
      AgentMessages.RegisterAgent.class,
      AgentMessages.AgentRegistered.class,
      AgentMessages.AddAgent.class,
      AgentMessages.AgentHeartbeat.class,
      AgentMessages.HeartbeatReply.class,
      AgentMessages.UnregisterAgent.class,
      AgentMessages.AgentRemoved.class,
      AgentMessages.AgentActivation.class,
      AgentMessages.AgentList.class,
      AgentMessages.KnownAgent.class,
      AgentMessages.KnownAgents.class,
      AllocatorMessages.AddFramework.class,
      AllocatorMessages.RecoverResources.class,
      AllocatorMessages.ReviveOffers.class,
      AllocatorMessages.SuppressOffers.class,
      AllocatorMessages.Allocations.class,
      FrameworkMessages.FrameworkRef.class,
      FrameworkMessages.FrameworkSubscribed.class,
      FrameworkMessages.FrameworkConnected.class,
      FrameworkMessages.ConnectionClosed.class,
      FrameworkMessages.MayRegister.class,
      FrameworkMessages.Permission.class,
      FrameworkMessages.FrameworkDisconnected.class,
      FrameworkMessages.KnownFramework.class,
      FrameworkMessages.KnownFrameworks.class,
      TaskMessages.LaunchTasks.class,
      TaskMessages.KillTask.class,
      TaskMessages.StatusUpdate.class,
      TaskMessages.Acknowledgement.class,
      TaskMessages.ReconcileTasks.class,
      TaskMessages.TaskQuery.class,
      TaskMessages.TaskList.class,
      RestTaskMessages.RestTaskRef.class,
      RoleMessages.UpdateWeights.class,
      RoleMessages.UpdateQuota.class,
      RoleMessages.RoleConfig.class,
      RoleMessages.RoleStates.class,
      RoleMessages.OfferedResources.class,
      ServiceHealth.class);

  private static final Set<EventBus> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

  private BusCodecs() {}

  public static void register(EventBus bus) {
    synchronized (REGISTERED) {
      if (!REGISTERED.add(bus)) {
        return;
      }
      for (Class<?> type : MESSAGES) {
        registerOne(bus, type);
      }
    }
  }

  private static <T> void registerOne(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new JsonCodec<>(type));
  }

  static List<Class<?>> messageTypes() {
    return MESSAGES;
  }
}
