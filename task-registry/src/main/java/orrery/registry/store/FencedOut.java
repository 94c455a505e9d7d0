package orrery.registry.store;

/** A write refused because a registry with a higher fencing token has written since: this one was deposed. */
public final class FencedOut extends RuntimeException {

  public FencedOut(long fence, long newer) {
    super("this registry's fencing token " + fence + " is older than " + newer + ", written by the leader that "
        + "took over: it may change nothing any more");
  }
}
