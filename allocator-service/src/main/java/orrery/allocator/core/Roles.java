package orrery.allocator.core;

/** Role names as Mesos accepts them: a path of segments by {@code /}, such as {@code eng/ads}. */
public final class Roles {

  private Roles() {}

  /** Why the name is not a role, or null when it is. */
  public static String problem(String role) {
    if (role == null || role.isEmpty()) {
      return "a role must not be empty";
    }
    if (role.equals("*")) {
      return null; // the default role
    }
    if (role.startsWith("/") || role.endsWith("/")) {
      return "role '" + role + "' must not start or end with '/'";
    }
    for (String segment : role.split("/", -1)) {
      if (segment.isEmpty()) {
        return "role '" + role + "' has an empty path segment";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "role '" + role + "' must not have '.' or '..' as a path segment";
      }
      if (segment.startsWith("-")) {
        return "role '" + role + "' has a path segment starting with '-'";
      }
      if (segment.equals("*")) {
        return "role '" + role + "' must not use '*' as a path segment";
      }
    }
    for (int i = 0; i < role.length(); i++) {
      char c = role.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\\') {
        return "role '" + role + "' must not contain whitespace, control characters or '\\'";
      }
    }
    return null;
  }

  static void check(String role) {
    String problem = problem(role);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The role and its ancestors, nearest first: {@code eng/ads/search}, {@code eng/ads}, {@code eng}. */
  static String[] path(String role) {
    int depth = 1;
    for (int i = 0; i < role.length(); i++) {
      if (role.charAt(i) == '/') {
        depth++;
      }
    }
    String[] path = new String[depth];
    String current = role;
    for (int i = 0; i < depth; i++) {
      path[i] = current;
      int slash = current.lastIndexOf('/');
      current = slash < 0 ? current : current.substring(0, slash);
    }
    return path;
  }
}
