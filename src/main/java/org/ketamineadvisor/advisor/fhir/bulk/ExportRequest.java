package org.ketamineadvisor.advisor.fhir.bulk;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Bulk Data kick-off: the server, the level (and Group), and the {@code _type} and {@code _typeFilter} asked for
 * (either may be dropped when the server refuses it). Validates itself.
 *
 * @param typeFilter the {@code _typeFilter} value, or null for none
 */
public record ExportRequest(URI fhirBase, ExportLevel level, String groupId, List<String> types, String typeFilter) {

  public ExportRequest {
    if (fhirBase == null || !(fhirBase.getScheme() != null && fhirBase.getScheme().matches("https?"))) {
      throw new IllegalArgumentException("the FHIR base '" + fhirBase + "' is not an http(s) URL");
    }
    if ((level == ExportLevel.GROUP) != (groupId != null)) {
      throw new IllegalArgumentException("a Group export needs a group id, and only a Group export takes one");
    }
    if (groupId != null && !groupId.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new IllegalArgumentException("--group '" + groupId + "' is not a FHIR id (letters, digits, '-' and '.', "
          + "at most 64)");
    }
    types = types == null ? List.of() : List.copyOf(types);
  }

  /** The export endpoint, without parameters: what identifies the job's origin in the saved state. */
  public URI endpoint() {
    String base = BackendServicesTokens.withSlash(fhirBase);
    return URI.create(base + switch (level) {
      case SYSTEM -> "$export";
      case GROUP -> "Group/" + groupId + "/$export";
      case PATIENT -> "Patient/$export";
    });
  }

  /** The kick-off URL with its parameters. */
  public URI kickOffUrl() {
    List<String> parameters = new ArrayList<>();
    if (!types.isEmpty()) {
      parameters.add("_type=" + encode(String.join(",", types)));
    }
    if (typeFilter != null) {
      parameters.add("_typeFilter=" + encode(typeFilter));
    }
    return URI.create(endpoint() + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters)));
  }

  /** The same request without {@code _typeFilter}. */
  public ExportRequest withoutTypeFilter() {
    return new ExportRequest(fhirBase, level, groupId, types, null);
  }

  /** The same request without these types (and without a {@code _typeFilter} that only names them). */
  public ExportRequest withoutTypes(List<String> dropped) {
    List<String> kept = types.stream().filter(t -> !dropped.contains(t)).toList();
    boolean filterStays = typeFilter != null && kept.stream().anyMatch(t -> typeFilter.startsWith(t + "?"));
    return new ExportRequest(fhirBase, level, groupId, kept, filterStays ? typeFilter : null);
  }

  /** The same request without {@code _type} (and so without {@code _typeFilter}). */
  public ExportRequest withoutTypes() {
    return new ExportRequest(fhirBase, level, groupId, List.of(), null);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
