package orrery.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU detection by running {@code nvidia-smi}. This machine has no GPU and no NVIDIA driver, so a small script
 * stands in for {@code nvidia-smi} (a boundary this project does not own and cannot run here), printing what the
 * real one prints for {@code --query-gpu=index --format=csv,noheader}.
 */
class MachineProbeTest {

  @TempDir
  Path dir;

  private List<String> script(String body) throws Exception {
    Path script = dir.resolve("nvidia-smi");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return List.of(script.toString(), "--query-gpu=index", "--format=csv,noheader");
  }

  @Test
  void countsTheGpusNvidiaSmiLists() throws Exception {
    assertThat(MachineProbe.countGpus(script("printf '0\\n1\\n'"))).isEqualTo(2);
  }

  @Test
  void noDriverOrAFailingOneMeansNoGpus() throws Exception {
    assertThat(MachineProbe.countGpus(List.of(dir.resolve("absent").toString()))).isZero();
    assertThat(MachineProbe.countGpus(script("echo 'NVIDIA-SMI has failed'; exit 9"))).isZero();
    // the real probe on this machine, which has none
    assertThat(MachineProbe.probe(dir).gpus()).isZero();
  }
}
