package orrery.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class whose tests share one standalone cluster, started before the first and stopped after the last. */
abstract class StandaloneClusterTest {

  /** The cluster of the test class that runs now (test classes run one after another). */
  static ClusterFixture fixture;

  @BeforeAll
  static void startCluster() throws Exception {
    fixture = ClusterFixture.start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    fixture.close();
  }
}
