package orrery.allocator.core;

import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.resources.Resources;

/** What one framework holds under one role on one agent. */
final class Holding {
  final FrameworkId frameworkId;
  final String role;
  Resources resources;

  Holding(FrameworkId frameworkId, String role, Resources resources) {
    this.frameworkId = frameworkId;
    this.role = role;
    this.resources = resources;
  }
}
