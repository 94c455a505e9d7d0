package orrery.agent;

/** The master answered no (a 4xx), as opposed to not answering: asking again would change nothing. */
final class RequestRefused extends RuntimeException {

  RequestRefused(String what, Throwable refusal) {
    super("the registry refused " + what + ": " + refusal.getMessage(), refusal);
  }
}
