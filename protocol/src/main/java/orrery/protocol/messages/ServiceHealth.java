package orrery.protocol.messages;

/** A service's answer to its health address. */
public record ServiceHealth(String service, boolean up, String detail) {

  public static ServiceHealth up(String service) {
    return new ServiceHealth(service, true, null);
  }
}
