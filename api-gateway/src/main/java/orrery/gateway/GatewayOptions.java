package orrery.gateway;

/**
 * @param host the interface to listen on
 * @param httpPort the HTTP API (Mesos habit: 5050); 0 picks a free port
 * @param bridgePort the TCP event-bus bridge; 0 picks a free port
 */
public record GatewayOptions(String host, int httpPort, int bridgePort) {

  public static final int DEFAULT_HTTP_PORT = 5050;
  public static final int DEFAULT_BRIDGE_PORT = 5060;
}
