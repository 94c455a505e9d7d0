package orrery.gateway;

/**
 * @param host the interface to listen on
 * @param httpPort the HTTP API (Mesos habit: 5050); 0 picks a free port
 * @param bridgePort the TCP event-bus bridge; 0 picks a free port
 * @param restFramework whether this gateway starts the REST framework behind {@code /v1/tasks} itself; when false it
 *     forwards {@code /v1/tasks} to the gateway that runs it, until it is told to run it
 *     ({@link GatewayVerticle#startRestFramework}): one REST framework serves every gateway of a cluster
 */
public record GatewayOptions(String host, int httpPort, int bridgePort, boolean restFramework) {

  public GatewayOptions(String host, int httpPort, int bridgePort) {
    this(host, httpPort, bridgePort, true);
  }

  public static final int DEFAULT_HTTP_PORT = 5050;
  public static final int DEFAULT_BRIDGE_PORT = 5060;
}
