package orrery.registry.store;

class InMemoryRegistryStoreTest extends RegistryStoreContract {

  @Override
  protected RegistryStore openEmpty() {
    return new InMemoryRegistryStore();
  }

  @Override
  protected RegistryStore reopen() {
    return null;
  }
}
