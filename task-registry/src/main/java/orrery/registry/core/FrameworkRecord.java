package orrery.registry.core;

import orrery.protocol.mesos.FrameworkInfo;

/** A framework as the registry keeps it; a removed framework's late status updates are acknowledged for it. */
public record FrameworkRecord(FrameworkInfo info, boolean removed) {}
