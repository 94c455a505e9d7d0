package orrery.cli;

import orrery.cli.client.MasterClient;
import picocli.CommandLine.Option;

/** {@code --master URL}, else {@code ORRERY_MASTER}, else the local standalone cluster. */
final class MasterOption {

  static final String DEFAULT_MASTER = "http://127.0.0.1:5050";

  @Option(names = "--master", paramLabel = "URL",
      description = "The gateway to talk to (default: $ORRERY_MASTER, else " + DEFAULT_MASTER + ").")
  String master;

  MasterClient client() {
    String url = master;
    if (url == null) {
      url = System.getenv().getOrDefault("ORRERY_MASTER", DEFAULT_MASTER);
    }
    return new MasterClient(url);
  }
}
