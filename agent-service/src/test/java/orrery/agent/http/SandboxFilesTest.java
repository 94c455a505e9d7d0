package orrery.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxFilesTest {

  @TempDir
  Path temp;
  private Path sandbox;
  private SandboxFiles files;

  @BeforeEach
  void sandbox() throws Exception {
    Path root = Files.createDirectories(temp.resolve("agents")).toRealPath();
    sandbox = Files.createDirectories(root.resolve("a/frameworks/f/executors/t/runs/c"));
    Files.writeString(sandbox.resolve("stdout"), "hello\nworld\n");
    Files.createDirectories(sandbox.resolve("sub"));
    files = new SandboxFiles(root);
  }

  private static int status(ThrowingCall call) {
    try {
      call.run();
    } catch (FileAccessException e) {
      return e.status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no FileAccessException");
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void readsFromAnOffsetUpToALength() throws Exception {
    String stdout = sandbox.resolve("stdout").toString();
    assertThat(files.read(stdout, 0, -1)).isEqualTo(new SandboxFiles.Chunk("hello\nworld\n", 0));
    assertThat(files.read(stdout, 6, 3)).isEqualTo(new SandboxFiles.Chunk("wor", 6));
    assertThat(files.read(stdout, 6, 100)).isEqualTo(new SandboxFiles.Chunk("world\n", 6));
  }

  @Test
  void offsetMinusOneOrPastTheEndGivesTheSize() throws Exception {
    String stdout = sandbox.resolve("stdout").toString();
    assertThat(files.read(stdout, -1, -1)).isEqualTo(new SandboxFiles.Chunk("", 12));
    assertThat(files.read(stdout, 12, 5)).isEqualTo(new SandboxFiles.Chunk("", 12));
    assertThat(files.read(stdout, 40, 5)).isEqualTo(new SandboxFiles.Chunk("", 12));
  }

  @Test
  void capsALongReadAtSixteenPages() throws Exception {
    Path big = sandbox.resolve("big");
    Files.write(big, "x".repeat(100_000).getBytes(StandardCharsets.UTF_8));
    assertThat(files.read(big.toString(), 0, 1_000_000).data()).hasSize(SandboxFiles.MAX_READ_LENGTH);
    assertThat(files.read(big.toString(), 99_990, -1).data()).hasSize(10);
  }

  @Test
  void aRelativePathIsTakenFromTheRoot() throws Exception {
    assertThat(files.read("a/frameworks/f/executors/t/runs/c/stdout", 0, 5).data()).isEqualTo("hello");
  }

  @Test
  void nothingOutsideTheSandboxesIsServed() throws Exception {
    assertThat(status(() -> files.read("/etc/passwd", 0, -1))).isEqualTo(403);
    assertThat(status(() -> files.read("/etc/no-such-file", 0, -1))).as("not even whether it exists").isEqualTo(403);
    assertThat(status(() -> files.read(sandbox + "/../../../../../../../../etc/passwd", 0, -1))).isEqualTo(403);
    assertThat(status(() -> files.read("../outside", 0, -1))).isEqualTo(403);
    Files.writeString(temp.resolve("secret"), "s");
    Files.createSymbolicLink(sandbox.resolve("link"), temp.resolve("secret"));
    assertThat(status(() -> files.read(sandbox.resolve("link").toString(), 0, -1))).isEqualTo(403);
    assertThat(status(() -> files.browse("/"))).isEqualTo(403);
  }

  @Test
  void aLinkThatStaysInsideIsFollowed() throws Exception {
    Files.createSymbolicLink(sandbox.resolve("out"), sandbox.resolve("stdout"));
    assertThat(files.read(sandbox.resolve("out").toString(), 0, 5).data()).isEqualTo("hello");
  }

  @Test
  void missingFilesAndBadParametersAreNamed() {
    assertThat(status(() -> files.read(sandbox.resolve("nope").toString(), 0, -1))).isEqualTo(404);
    assertThatThrownBy(() -> files.read(sandbox.resolve("stdout").toString(), -2, -1))
        .isInstanceOfSatisfying(FileAccessException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.parameter()).isEqualTo("offset");
        });
    assertThatThrownBy(() -> files.read(sandbox.resolve("stdout").toString(), 0, -5))
        .isInstanceOfSatisfying(FileAccessException.class, e -> assertThat(e.parameter()).isEqualTo("length"));
    assertThatThrownBy(() -> files.read(null, 0, -1))
        .isInstanceOfSatisfying(FileAccessException.class, e -> assertThat(e.getMessage()).contains("'path'"));
    assertThat(status(() -> files.read(sandbox.toString(), 0, -1))).as("a directory").isEqualTo(400);
    assertThat(status(() -> files.browse(sandbox.resolve("stdout").toString()))).as("a file").isEqualTo(400);
  }

  @Test
  void browseListsEntriesWithSizeModeAndTime() throws Exception {
    assertThat(files.browse(sandbox.toString())).satisfiesExactly(
        stdout -> {
          assertThat(stdout.path()).isEqualTo(sandbox.resolve("stdout").toString());
          assertThat(stdout.size()).isEqualTo(12);
          assertThat(stdout.mode()).startsWith("-rw");
          assertThat(stdout.mtime()).isPositive();
        },
        sub -> assertThat(sub.mode()).startsWith("d"));
  }
}
