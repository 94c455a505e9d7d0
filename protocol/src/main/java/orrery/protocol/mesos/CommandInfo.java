package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import orrery.protocol.json.Fields;

/**
 * What to run. With {@code shell} (the default) {@code value} is run by {@code /bin/sh -c}; without it,
 * {@code value} is the executable and {@code arguments} its argv, {@code argv[0]} included.
 */
public record CommandInfo(
    List<Uri> uris,
    Environment environment,
    Boolean shell,
    String value,
    List<String> arguments,
    String user) {

  public CommandInfo {
    uris = Fields.list(uris, "uris");
    arguments = Fields.list(arguments, "arguments");
  }

  public static CommandInfo shell(String command) {
    return new CommandInfo(null, null, true, command, null, null);
  }

  public boolean isShell() {
    return shell == null || shell;
  }

  /** A file to fetch into the sandbox before the command starts. */
  public record Uri(String value, Boolean executable, Boolean extract, Boolean cache, String outputFile) {
    public Uri {
      Fields.required(value, "value");
    }
  }

  /** Environment variables for the command; secrets are not supported here. */
  public record Environment(List<Variable> variables) {
    public Environment {
      variables = Fields.list(variables, "variables");
    }

    public record Variable(String name, Type type, String value, JsonNode secret) {
      public enum Type { UNKNOWN, VALUE, SECRET }

      public Variable {
        Fields.required(name, "name");
      }

      public static Variable of(String name, String value) {
        return new Variable(name, null, value, null);
      }
    }
  }
}
