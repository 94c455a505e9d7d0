package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's example frameworks (plain Python, no Orrery code) run against a standalone cluster: proof that a
 * framework written only against the Mesos v1 JSON and the bridge protocol works.
 */
class ExamplesTest extends StandaloneClusterTest {

  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  @Test
  void httpFrameworkExample() throws Exception {
    String output = run("http_framework.py", "--master", fixture.gateway(), "--count", "2", "--cmd", "echo hi");
    assertThat(output).contains("subscribed as ").contains("example-1 TASK_RUNNING")
        .contains("example-1 TASK_FINISHED").contains("example-2 TASK_FINISHED").contains("torn down");
  }

  @Test
  void bridgeFrameworkExample() throws Exception {
    String output = run("bridge_framework.py", "--port", String.valueOf(fixture.cluster.bridgePort()),
        "--count", "2", "--cmd", "exit 0");
    assertThat(output).contains("subscribed as ").contains("bridge-example-1 TASK_FINISHED")
        .contains("bridge-example-2 TASK_FINISHED").contains("torn down");
  }

  private static String run(String script, String... args) throws IOException, InterruptedException {
    assumeTrue(python3() != null, "python3 is not installed");
    List<String> command = new ArrayList<>(List.of(python3(), EXAMPLES.resolve(script).toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean ended = process.waitFor(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      process.destroyForcibly();
    }
    assertThat(ended).as("the example did not end; it printed:\n" + output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static String python3() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "python3");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
