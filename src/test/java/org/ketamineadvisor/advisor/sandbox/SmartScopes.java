package org.ketamineadvisor.advisor.sandbox;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The patient- and user-level SMART scopes of a token, v2 ({@code patient/Condition.rs}, {@code user/CarePlan.rs})
 * and v1 ({@code patient/Observation.read}, {@code patient/*.write}), as permissions per resource type: the
 * {@code patient/} ones within the patient in context, the {@code user/} ones across every patient (the clinic's
 * list). The {@code system/} scopes of a Backend Services client ({@code system/Patient.rs}, {@code system/Group.cu}) are
 * kept apart: only a token without a user or patient carries them. Anything else ({@code openid}, {@code launch})
 * grants nothing on the FHIR server.
 */
record SmartScopes(Map<String, Set<Character>> permissionsByType, Map<String, Set<Character>> acrossPatientsByType,
    Map<String, Set<Character>> systemByType) {

  static final String ANY_TYPE = "*";
  private static final String V2_PERMISSIONS = "cruds";

  SmartScopes {
    permissionsByType = Map.copyOf(permissionsByType);
    acrossPatientsByType = Map.copyOf(acrossPatientsByType);
    systemByType = Map.copyOf(systemByType);
  }

  static SmartScopes parse(Collection<String> scopes) {
    return new SmartScopes(parse(scopes, "patient/"), parse(scopes, "user/"), parse(scopes, "system/"));
  }

  private static Map<String, Set<Character>> parse(Collection<String> scopes, String level) {
    Map<String, Set<Character>> byType = new HashMap<>();
    for (String scope : scopes) {
      if (!scope.startsWith(level) || !scope.contains(".")) {
        continue;
      }
      String resourceAndPermissions = scope.substring(level.length());
      int dot = resourceAndPermissions.lastIndexOf('.');
      String type = resourceAndPermissions.substring(0, dot);
      String permissions = resourceAndPermissions.substring(dot + 1);
      // a v2 scope may carry a query (patient/Observation.rs?category=…); the sandbox grants the whole type
      int query = permissions.indexOf('?');
      if (query >= 0) {
        permissions = permissions.substring(0, query);
      }
      Set<Character> granted = switch (permissions) {
        case "read" -> Set.of('r', 's');
        case "write" -> Set.of('c', 'u', 'd');
        case "*" -> Set.of('c', 'r', 'u', 'd', 's');
        default -> v2Permissions(permissions);
      };
      byType.merge(type, granted, (a, b) -> Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet()));
    }
    return byType;
  }

  private static Set<Character> v2Permissions(String permissions) {
    // v2 requires the letters in the order c, r, u, d, s; anything else is not a SMART scope and grants nothing
    int previous = -1;
    for (char letter : permissions.toCharArray()) {
      int position = V2_PERMISSIONS.indexOf(letter);
      if (position <= previous) {
        return Set.of();
      }
      previous = position;
    }
    return permissions.chars().mapToObj(c -> (char) c).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Whether {@code permission} (one of c, r, u, d, s) is granted on {@code type}, directly or through {@code *}, by a
   * {@code patient/} or a {@code user/} scope.
   */
  boolean allows(String type, char permission) {
    return allows(permissionsByType, type, permission) || allows(acrossPatientsByType, type, permission);
  }

  /** Whether the token carries any {@code system/} scope (a Backend Services client's). */
  boolean hasSystemScopes() {
    return !systemByType.isEmpty();
  }

  /** Whether a {@code system/} scope grants {@code permission} on {@code type}, directly or through {@code *}. */
  boolean systemAllows(String type, char permission) {
    return allows(systemByType, type, permission);
  }

  /** Whether a {@code user/} scope lets the token read or search {@code type} of every patient. */
  boolean readsAcrossPatients(String type) {
    return allows(acrossPatientsByType, type, 'r') || allows(acrossPatientsByType, type, 's');
  }

  private static boolean allows(Map<String, Set<Character>> byType, String type, char permission) {
    return byType.getOrDefault(type, Set.of()).contains(permission)
        || byType.getOrDefault(ANY_TYPE, Set.of()).contains(permission);
  }

  /** Whether any of {@code types} may be read. */
  boolean readsAnyOf(String... types) {
    return Arrays.stream(types).anyMatch(type -> allows(type, 'r') || allows(type, 's'));
  }
}
