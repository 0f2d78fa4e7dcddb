package org.ketamineadvisor.advisor.sandbox;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The patient-level SMART scopes of a token, v2 ({@code patient/Condition.rs}, {@code patient/CarePlan.cu}) and
 * v1 ({@code patient/Observation.read}, {@code patient/*.write}), as permissions per resource type.
 * Anything else ({@code openid}, {@code launch}, {@code user/…}) grants nothing on the FHIR server.
 */
record SmartScopes(Map<String, Set<Character>> permissionsByType) {

  static final String ANY_TYPE = "*";
  private static final String V2_PERMISSIONS = "cruds";

  SmartScopes {
    permissionsByType = Map.copyOf(permissionsByType);
  }

  static SmartScopes parse(Collection<String> scopes) {
    Map<String, Set<Character>> byType = new HashMap<>();
    for (String scope : scopes) {
      if (!scope.startsWith("patient/") || !scope.contains(".")) {
        continue;
      }
      String resourceAndPermissions = scope.substring("patient/".length());
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
    return new SmartScopes(byType);
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

  /** Whether {@code permission} (one of c, r, u, d, s) is granted on {@code type}, directly or through {@code *}. */
  boolean allows(String type, char permission) {
    return permissionsByType.getOrDefault(type, Set.of()).contains(permission)
        || permissionsByType.getOrDefault(ANY_TYPE, Set.of()).contains(permission);
  }

  /** Whether any of {@code types} may be read. */
  boolean readsAnyOf(String... types) {
    return Arrays.stream(types).anyMatch(type -> allows(type, 'r') || allows(type, 's'));
  }
}
