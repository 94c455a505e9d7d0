package orrery.cli.flags;

import java.nio.file.Path;
import orrery.registry.store.RegistryStoreSettings;
import picocli.CommandLine.Option;

/** Where the registry keeps its record, the same in {@code orrery standalone} and {@code orrery registry}. */
public final class RegistryStoreFlags {

  @Option(names = "--registry-store", defaultValue = "${env:ORRERY_REGISTRY_STORE:-embedded}",
      description = "Where the registry keeps agents, frameworks and tasks: embedded (a file under the work dir, "
          + "the default), postgresql (see --postgres-url) or memory (lost when Orrery stops). "
          + "Environment: ORRERY_REGISTRY_STORE.")
  String registryStore;

  @Option(names = "--postgres-url", defaultValue = "${env:ORRERY_POSTGRES_URL}",
      description = "The registry's PostgreSQL database, e.g. jdbc:postgresql://db:5432/orrery. "
          + "Environment: ORRERY_POSTGRES_URL.")
  String postgresUrl;

  @Option(names = "--postgres-user", defaultValue = "${env:ORRERY_POSTGRES_USER}",
      description = "PostgreSQL user. Environment: ORRERY_POSTGRES_USER.")
  String postgresUser;

  @Option(names = "--postgres-password", defaultValue = "${env:ORRERY_POSTGRES_PASSWORD}",
      description = "PostgreSQL password; prefer the environment variable ORRERY_POSTGRES_PASSWORD.")
  String postgresPassword;

  /** The settings, the embedded store's file under {@code workDir}. */
  public RegistryStoreSettings settings(Path workDir) {
    RegistryStoreSettings.Kind kind = RegistryStoreSettings.Kind.parse("--registry-store", registryStore);
    return new RegistryStoreSettings(kind, RegistryStoreSettings.embeddedFileIn(workDir), postgresUrl, postgresUser,
        postgresPassword);
  }
}
