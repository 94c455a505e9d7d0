package orrery.agent.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Read access to the task sandboxes for {@code /files}, confined to the sandboxes root: a path is normalised and its
 * symbolic links resolved before it is checked, so neither {@code ..} nor a link out of a sandbox escapes. Every
 * method blocks; call them from a worker thread.
 */
public final class SandboxFiles {

  /** The most {@link #read} returns at once, as Mesos caps it: 16 pages. */
  public static final int MAX_READ_LENGTH = 16 * 4096;

  private static final int FORBIDDEN = 403;
  private static final int NOT_FOUND = 404;
  private static final int BAD_REQUEST = 400;

  private final Path root;

  /** @param root the sandboxes root, as a real path (no symbolic links in it) */
  public SandboxFiles(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** One chunk of a file: {@code data} read from {@code offset}. */
  public record Chunk(String data, long offset) {}

  /** One directory entry, as Mesos' {@code /files/browse} lists it. */
  public record Entry(String path, long size, String mode, long mtime, long nlink, String uid, String gid) {}

  /**
   * Resolves a requested path to a real path inside the root: 403 when it lies (or links) outside, 404 when it does
   * not exist inside, 400 when it is not a path at all. A relative path is taken from the root.
   */
  public Path resolve(String requested) throws FileAccessException {
    if (requested == null || requested.isEmpty()) {
      throw new FileAccessException(BAD_REQUEST, "path", "'path' is required");
    }
    Path normal;
    try {
      normal = root.resolve(requested).normalize();
    } catch (InvalidPathException e) {
      throw new FileAccessException(BAD_REQUEST, "path", "'path' is not a valid path: " + e.getMessage());
    }
    Path real;
    try {
      real = normal.toRealPath();
    } catch (IOException e) {
      if (!normal.startsWith(root)) {
        throw forbidden(requested); // and say nothing of what does or does not exist out there
      }
      throw new FileAccessException(NOT_FOUND, "path", e instanceof NoSuchFileException ? "no such file: "
          + requested : "cannot open " + requested + ": " + e.getMessage());
    }
    if (!real.startsWith(root)) {
      throw forbidden(requested);
    }
    return real;
  }

  /**
   * Mesos' {@code /files/read}: up to {@code length} bytes (-1: as many as allowed) from {@code offset}. An offset
   * of -1, or at or past the end, returns no data and the file's size as the offset. Bytes are decoded as UTF-8,
   * invalid sequences replaced.
   */
  public Chunk read(String requested, long offset, long length) throws FileAccessException {
    if (offset < -1) {
      throw new FileAccessException(BAD_REQUEST, "offset", "'offset' must be -1 or more, was " + offset);
    }
    if (length < -1) {
      throw new FileAccessException(BAD_REQUEST, "length", "'length' must be -1 or more, was " + length);
    }
    Path file = regularFile(requested);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (offset == -1 || offset >= size) {
        return new Chunk("", size); // as Mesos: the size tells a reader where the end is
      }
      int wanted = (int) Math.min(length == -1 ? MAX_READ_LENGTH : Math.min(length, MAX_READ_LENGTH),
          size - offset);
      ByteBuffer buffer = ByteBuffer.allocate(wanted);
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
        // read until full or at the end
      }
      buffer.flip();
      return new Chunk(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(buffer).toString(), offset);
    } catch (IOException e) {
      throw new FileAccessException(500, null, "cannot read " + requested + ": " + e.getMessage());
    }
  }

  /** The file to send whole, for {@code /files/download}. */
  public Path regularFile(String requested) throws FileAccessException {
    Path file = resolve(requested);
    if (!Files.isRegularFile(file)) {
      throw new FileAccessException(BAD_REQUEST, "path", "'" + requested + "' is not a file"
          + (Files.isDirectory(file) ? " but a directory; use /files/browse" : ""));
    }
    return file;
  }

  /** The entries of a directory, sorted by path. */
  public List<Entry> browse(String requested) throws FileAccessException {
    Path directory = resolve(requested);
    if (!Files.isDirectory(directory)) {
      throw new FileAccessException(BAD_REQUEST, "path", "'" + requested + "' is not a directory");
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> children = Files.list(directory)) {
      for (Path child : children.sorted().toList()) {
        entries.add(entry(child));
      }
    } catch (IOException e) {
      throw new FileAccessException(500, null, "cannot list " + requested + ": " + e.getMessage());
    }
    return entries;
  }

  private static Entry entry(Path path) throws IOException {
    PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS);
    char type = attributes.isDirectory() ? 'd' : attributes.isSymbolicLink() ? 'l' : '-';
    Object links = Files.getAttribute(path, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    return new Entry(path.toString(), attributes.size(), type + PosixFilePermissions.toString(attributes.permissions()),
        attributes.lastModifiedTime().toMillis() / 1000, ((Number) links).longValue(), attributes.owner().getName(),
        attributes.group().getName());
  }

  private static FileAccessException forbidden(String requested) {
    return new FileAccessException(FORBIDDEN, "path", "'" + requested + "' is outside the task sandboxes");
  }
}
