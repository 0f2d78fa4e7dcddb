package org.ketamineadvisor.advisor.launch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the EHR actually granted (which may be less than requested, e.g. when the user unticks scopes), read in
 * both SMART v1 ({@code patient/CarePlan.write}) and v2 ({@code patient/CarePlan.cu}) spelling.
 */
public record GrantedScopes(Set<String> scopes) implements Serializable {

  /** The resources the app reads, with what is lost without each, in the clinician's words. */
  private static final List<String[]> READS = List.of(
      new String[] {"Patient", "the patient's name and birth date"},
      new String[] {"Condition", "diagnoses (indications and contraindications)"},
      new String[] {"MedicationRequest", "prescriptions"},
      new String[] {"MedicationStatement", "medications the patient reports taking"},
      new String[] {"Observation", "blood pressure, heart rate, weight and pain scores"},
      new String[] {"AllergyIntolerance", "allergies"});

  public GrantedScopes {
    scopes = Set.copyOf(new TreeSet<>(scopes == null ? Set.of() : scopes));
  }

  /** Parses a space-separated {@code scope} value of a token response. */
  public static GrantedScopes parse(String scope) {
    return new GrantedScopes(scope == null || scope.isBlank() ? Set.of() : Set.of(scope.trim().split("\\s+")));
  }

  public boolean canRead(String resourceType) {
    return allows(resourceType, 'r');
  }

  /**
   * Whether a {@code user/} or {@code system/} scope lets the app search {@code resourceType} across patients, as the
   * clinic's list does; a {@code patient/} scope reaches only the patient in context.
   */
  public boolean canSearchAcrossPatients(String resourceType) {
    return allows(resourceType, 's', false);
  }

  /** Whether a {@code user/} or {@code system/} scope lets the app read {@code resourceType} of any patient by id. */
  public boolean canReadAcrossPatients(String resourceType) {
    return allows(resourceType, 'r', false);
  }

  /**
   * These scopes without the {@code patient/} ones: a token without a patient in context (a launch from the clinic's
   * schedule) reaches no patient compartment, so only {@code user/} and {@code system/} scopes let it act.
   */
  public GrantedScopes withoutPatientScopes() {
    return new GrantedScopes(scopes.stream().filter(scope -> !scope.startsWith("patient/")).collect(
        java.util.stream.Collectors.toSet()));
  }

  public boolean canSearch(String resourceType) {
    return allows(resourceType, 's');
  }

  public boolean canCreate(String resourceType) {
    return allows(resourceType, 'c');
  }

  public boolean canUpdate(String resourceType) {
    return allows(resourceType, 'u');
  }

  /** Whether the app may write back the RiskAssessment, the CarePlan and their Provenance. */
  public boolean canWriteBack() {
    return canCreate("RiskAssessment") && canCreate("CarePlan") && canCreate("Provenance");
  }

  /** What the app cannot do with these scopes, in plain words; empty when everything it needs was granted. */
  public List<String> limitations() {
    List<String> missing = new ArrayList<>();
    if (!canWriteBack()) {
      List<String> notWritable = new ArrayList<>();
      if (!canCreate("RiskAssessment")) {
        notWritable.add("RiskAssessments");
      }
      if (!canCreate("CarePlan")) {
        notWritable.add("CarePlans");
      }
      if (!canCreate("Provenance")) {
        notWritable.add("Provenance records");
      }
      missing.add("Read-only: the EHR did not grant permission to write " + String.join(" or ", notWritable)
          + ". The plan can be downloaded or printed instead.");
    }
    for (String[] read : READS) {
      boolean searched = !"Patient".equals(read[0]);
      if (!canRead(read[0]) || (searched && !canSearch(read[0]))) {
        missing.add("The EHR did not grant permission to read " + read[0] + " records: "
            + read[1] + " cannot be checked.");
      }
    }
    return missing;
  }

  // patient/, user/ and system/ scopes all let the app act on the launched patient's record
  private boolean allows(String resourceType, char interaction) {
    return allows(resourceType, interaction, true);
  }

  private boolean allows(String resourceType, char interaction, boolean patientScopesCount) {
    for (String scope : scopes) {
      int slash = scope.indexOf('/');
      int dot = scope.lastIndexOf('.');
      if (slash < 0 || dot < slash) {
        continue;
      }
      String context = scope.substring(0, slash);
      boolean patientScope = context.equals("patient");
      if ((!patientScope || !patientScopesCount) && !context.equals("user") && !context.equals("system")) {
        continue;
      }
      String type = scope.substring(slash + 1, dot);
      if (!type.equals("*") && !type.equals(resourceType)) {
        continue;
      }
      String permissions = scope.substring(dot + 1);
      int query = permissions.indexOf('?');
      if (query >= 0) {
        // a v2 scope narrowed by search parameters grants only part of the type: not enough for the app's needs
        continue;
      }
      if (permissionGranted(permissions, interaction)) {
        return true;
      }
    }
    return false;
  }

  private static boolean permissionGranted(String permissions, char interaction) {
    return switch (permissions) {
      case "*" -> true;
      case "read" -> interaction == 'r' || interaction == 's';
      case "write" -> interaction == 'c' || interaction == 'u' || interaction == 'd';
      default -> permissions.matches("c?r?u?d?s?") && permissions.indexOf(interaction) >= 0;
    };
  }
}
