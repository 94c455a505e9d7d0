package orrery.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import orrery.agent.core.ContainerLimits;
import orrery.protocol.mesos.ContainerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v1 isolator over a stand-in for the cgroup mount (plain directories and files): what a read of a
 * container whose cgroups are gone answers, against a read that fails for another reason.
 */
class CgroupIsolatorTest {

  private static final ContainerId CONTAINER = ContainerId.of("0a0b0c0d-0000-4000-8000-000000000001");

  @TempDir
  Path mount;

  private CgroupV1Isolator isolator() throws IOException {
    for (String controller : List.of("memory", "cpu")) {
      Files.createDirectories(mount.resolve(controller));
    }
    Files.writeString(mount.resolve("memory/cgroup.procs"), "");
    Files.writeString(mount.resolve("cpu/cpu.shares"), "1024");
    CgroupV1Isolator isolator = CgroupV1Isolator.at(mount, "orrery/test", false);
    isolator.prepare(CONTAINER, new ContainerLimits(1024, null, 32L << 20, null));
    return isolator;
  }

  private Path cgroup(String controller) {
    return mount.resolve(controller).resolve("orrery/test").resolve(CONTAINER.value());
  }

  @Test
  void aContainerReadsItsOomCounter() throws IOException {
    CgroupV1Isolator isolator = isolator();
    Files.writeString(cgroup("memory").resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    assertThat(isolator.limitation(CONTAINER)).isEmpty();

    Files.writeString(cgroup("memory").resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    Files.writeString(cgroup("memory").resolve("memory.max_usage_in_bytes"), Long.toString(33L << 20));
    assertThat(isolator.limitation(CONTAINER)).hasValueSatisfying(limitation ->
        assertThat(limitation.message()).contains("of its 32 MB limit"));
  }

  @Test
  void aContainerWhoseCgroupsAreGoneIsContainerGoneAndHasNoProcesses() throws IOException {
    CgroupV1Isolator isolator = isolator();
    deleteTree(cgroup("memory"));

    assertThatThrownBy(() -> isolator.limitation(CONTAINER)).isInstanceOf(ContainerGoneException.class)
        .hasMessageContaining(CONTAINER.value());
    assertThat(isolator.pids(CONTAINER)).isEqualTo(Optional.of(List.of()));
  }

  @Test
  void aReadThatFailsWhileTheContainerIsThereIsAnIoErrorOfItsOwn() throws IOException {
    CgroupV1Isolator isolator = isolator();
    Files.createDirectories(cgroup("memory").resolve("memory.oom_control")); // unreadable as a file
    Files.createDirectories(cgroup("memory").resolve("cgroup.procs"));

    assertThatThrownBy(() -> isolator.limitation(CONTAINER)).isInstanceOf(IOException.class)
        .isNotInstanceOf(ContainerGoneException.class);
    assertThatThrownBy(() -> isolator.pids(CONTAINER)).isInstanceOf(IOException.class);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
