package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import orrery.allocator.AllocatorVerticle;
import orrery.cli.flags.AllocatorFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "allocator", mixinStandardHelpOptions = true,
    description = "Run the DRF allocator as a member of the cluster, until interrupted.")
public final class AllocatorNodeCommand extends NodeCommand {

  @Mixin
  AllocatorFlags allocator;

  @Override
  String role() {
    return "allocator";
  }

  @Override
  boolean singleton() {
    return true;
  }

  @Override
  Future<String> deploy(Vertx vertx, long fence) {
    return vertx.deployVerticle(new AllocatorVerticle(allocator.options())).map(id -> "orrery allocator is up");
  }
}
