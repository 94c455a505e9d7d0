package orrery.registry.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Which store the registry keeps its record in, as flags and environment variables name it.
 *
 * @param kind {@code embedded} (a SQLite file, the default), {@code postgresql} or {@code memory} (nothing survives
 *     a restart)
 * @param embeddedFile the embedded store's file
 * @param postgresUrl a {@code jdbc:postgresql://host:port/database} URL, for {@code postgresql}
 */
public record RegistryStoreSettings(Kind kind, Path embeddedFile, String postgresUrl, String postgresUser,
    String postgresPassword) {

  public enum Kind {
    EMBEDDED,
    POSTGRESQL,
    MEMORY;

    /** The lower-case names flags use. */
    public static Kind parse(String field, String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(field + " must be embedded, postgresql or memory, not '" + value + "'");
      }
    }
  }

  /** Where the embedded store keeps its file under a work directory. */
  public static Path embeddedFileIn(Path workDir) {
    return workDir.resolve("registry").resolve("registry.db");
  }

  public static RegistryStoreSettings embedded(Path workDir) {
    return new RegistryStoreSettings(Kind.EMBEDDED, embeddedFileIn(workDir), null, null, null);
  }

  public static RegistryStoreSettings memory() {
    return new RegistryStoreSettings(Kind.MEMORY, null, null, null, null);
  }

  public RegistryStoreSettings {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.EMBEDDED && embeddedFile == null) {
      throw new IllegalArgumentException("the embedded registry store needs a file");
    }
    if (kind == Kind.POSTGRESQL && (postgresUrl == null || !postgresUrl.startsWith("jdbc:postgresql:"))) {
      throw new IllegalArgumentException("--postgres-url (or ORRERY_POSTGRES_URL) must be a "
          + "jdbc:postgresql://host:port/database URL for the postgresql registry store, not '" + postgresUrl + "'");
    }
  }

  /** Opens the store, migrating its schema; blocks while it does. */
  public RegistryStore open() {
    return switch (kind) {
      case EMBEDDED -> SqlRegistryStore.open(SqlStoreConfig.embedded(embeddedFile));
      case POSTGRESQL -> SqlRegistryStore.open(SqlStoreConfig.postgresql(postgresUrl, postgresUser,
          postgresPassword));
      case MEMORY -> new InMemoryRegistryStore();
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EMBEDDED -> "embedded (" + embeddedFile + ")";
      case POSTGRESQL -> "postgresql (" + postgresUrl + ")";
      case MEMORY -> "memory";
    };
  }
}
