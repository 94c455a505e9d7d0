package orrery.registry.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRegistryStoreTest extends SqlRegistryStoreContract {

  @TempDir
  Path directory;

  @Override
  protected SqlStoreConfig config() {
    return SqlStoreConfig.embedded(directory.resolve("registry").resolve("registry.db"));
  }

  @Override
  protected RegistryStore openEmpty() {
    return SqlRegistryStore.open(config());
  }

  @Override
  protected RegistryStore reopen() {
    return SqlRegistryStore.open(config());
  }
}
