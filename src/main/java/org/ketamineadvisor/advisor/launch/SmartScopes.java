package org.ketamineadvisor.advisor.launch;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The scopes a launch requests: the configured v2 list, in v1 spelling for v1-only servers, adapted to the launch kind. */
public final class SmartScopes {

  private static final Pattern V2 = Pattern.compile("^(patient|user|system)/([A-Za-z*]+)\\.([cruds]+)$");

  private SmartScopes() {}

  /** The scopes to request from an EHR with this configuration; {@code standalone} swaps {@code launch} for {@code launch/patient}. */
  public static Set<String> toRequest(List<String> configured, SmartConfiguration server, boolean standalone) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope : configured) {
      if (standalone && "launch".equals(scope)) {
        scopes.add("launch/patient");
      } else if (!standalone && "launch/patient".equals(scope)) {
        scopes.add("launch");
      } else {
        scopes.add(server.onlyV1Scopes() ? toV1(scope) : scope);
      }
    }
    return scopes;
  }

  /**
   * The scopes of a standalone launch for the clinic's list ({@code /launch?iss=…&clinic}): the configured list
   * without {@code launch} and {@code launch/patient}, so the EHR asks for no patient and the token carries none;
   * what it may read across patients comes from the {@code user/} scopes of the registration.
   */
  public static Set<String> toRequestForClinic(List<String> configured, SmartConfiguration server) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope : configured) {
      if (!"launch".equals(scope) && !"launch/patient".equals(scope)) {
        scopes.add(server.onlyV1Scopes() ? toV1(scope) : scope);
      }
    }
    return scopes;
  }

  /** {@code patient/Condition.rs} → {@code patient/Condition.read}; {@code .c}/{@code .u}/{@code .d} → {@code .write}. */
  static String toV1(String scope) {
    Matcher m = V2.matcher(scope);
    if (!m.matches()) {
      return scope;
    }
    String permissions = m.group(3);
    boolean reads = permissions.contains("r") || permissions.contains("s");
    boolean writes = permissions.contains("c") || permissions.contains("u") || permissions.contains("d");
    String v1 = reads && writes ? "*" : writes ? "write" : "read";
    return m.group(1) + "/" + m.group(2) + "." + v1;
  }
}
