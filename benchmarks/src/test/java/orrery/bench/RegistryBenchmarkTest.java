package orrery.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RegistryBenchmarkTest {

  @Test
  void everyUpdateIsAnsweredForwardedAndCommittedAndOneLineIsPrintedPerStore(@TempDir Path dir) {
    List<String> lines = run("--store", "embedded", "--updates", "2000", "--tasks", "500", "--in-flight", "50",
        "--warmup", "200", "--dir", dir.toString());

    assertThat(lines).hasSize(1);
    JsonObject result = new JsonObject(lines.get(0));
    assertThat(result.getString("store")).isEqualTo("embedded");
    assertThat(result.getInteger("failed")).isZero();
    assertThat(result.getLong("forwarded")).isEqualTo(2000);
    assertThat(result.getLong("updates_per_s")).isPositive();
    assertThat(result.getDouble("p99_commit_ms")).isGreaterThanOrEqualTo(result.getDouble("p50_commit_ms"));
    // The store's own meters count the measured updates only (warm-up excluded): two changes per update.
    assertThat(result.getLong("commits")).isPositive();
    // (mean_group is rounded to a tenth: up to 0.05 off per commit.)
    long commits = result.getLong("commits");
    assertThat(result.getDouble("mean_group") * commits).isCloseTo(2000.0,
        org.assertj.core.data.Offset.offset(0.05 * commits + 0.01));
    // The store's directory is removed afterwards.
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void theMemoryStoreRunsWithoutStoreMeters() {
    List<String> lines = run("--store", "memory", "--updates", "1000", "--tasks", "200", "--in-flight", "20",
        "--warmup", "0");

    JsonObject result = new JsonObject(lines.get(0));
    assertThat(result.getString("store")).isEqualTo("memory");
    assertThat(result.getLong("forwarded")).isEqualTo(1000);
    assertThat(result.containsKey("commits")).isFalse();
  }

  private static List<String> run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(new CommandLine(new RegistryBenchmark()).execute(args)).isZero();
    } finally {
      System.setOut(out);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();
  }
}
