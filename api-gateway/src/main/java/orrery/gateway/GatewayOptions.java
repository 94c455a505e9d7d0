package orrery.gateway;

/**
 * @param host the interface to listen on
 * @param httpPort the HTTP API (Mesos habit: 5050); 0 picks a free port
 * @param bridgePort the TCP event-bus bridge; 0 picks a free port
 * @param restAnswerMillis how long a {@code /v1/tasks} request is asked of the REST framework again while it goes
 *     unanswered (the REST framework failing over with the offer broker) before the client is told to retry
 */
public record GatewayOptions(String host, int httpPort, int bridgePort, long restAnswerMillis) {

  public static final int DEFAULT_HTTP_PORT = 5050;
  public static final int DEFAULT_BRIDGE_PORT = 5060;
  /** Longer than a broker's failover usually takes (about 5 s, docs/cluster.md), short of clients' patience. */
  public static final long DEFAULT_REST_ANSWER_MILLIS = 15_000;

  public GatewayOptions(String host, int httpPort, int bridgePort) {
    this(host, httpPort, bridgePort, DEFAULT_REST_ANSWER_MILLIS);
  }
}
