package org.ketamineadvisor.advisor.cli;

import java.nio.file.Path;
import org.ketamineadvisor.advisor.fhir.bulk.ExportLevel;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of a Bulk Data export for {@code screen --fhir-base}: which server and patients, and the SMART Backend
 * Services client it authorizes as (none: no Authorization header at all).
 */
final class BulkOptions {

  @Option(names = "--fhir-base", paramLabel = "URL",
      description = "Base URL of a FHIR R4 server offering Bulk Data export; its export is downloaded into OUT/export "
          + "and screened.")
  String fhirBase;

  @Option(names = "--group", paramLabel = "ID",
      description = "With --fhir-base: export the members of this Group ([base]/Group/ID/$export).")
  String group;

  @Option(names = "--export-level", paramLabel = "LEVEL",
      description = "With --fhir-base and no --group: 'system' ([base]/$export, the default) or 'patient' "
          + "([base]/Patient/$export).")
  String exportLevel;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "SMART Backend Services client id registered with the EHR (needs --private-key). Without it "
          + "no token is asked for and no Authorization header is sent.")
  String clientId;

  @Option(names = "--private-key", paramLabel = "FILE",
      description = "The client's private key: a private JWK or JWK Set (its kid is used), or a PKCS#8 PEM file "
          + "(then --key-id is required). Never printed. 'backend-key' makes one.")
  Path privateKey;

  @Option(names = "--key-id", paramLabel = "KID",
      description = "The kid under which the public key is registered (required with a PEM key).")
  String keyId;

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "Scope asked for (default: read scopes for the types the rules read, system/Patient.rs "
          + "system/Condition.rs … system/Medication.rs, less those the server does not list as supported).")
  String scope;

  @Option(names = "--export-timeout", paramLabel = "MINUTES", defaultValue = "60",
      description = "Longest wait for the server to prepare the export (default: ${DEFAULT-VALUE}); the job is "
          + "kept, and the same command resumes it.")
  int exportTimeoutMinutes;

  /** Usage errors (exit 2, naming the option) for options that do not go together. */
  void check(picocli.CommandLine where) {
    if (fhirBase != null && !(fhirBase.startsWith("http://") || fhirBase.startsWith("https://"))) {
      throw new ParameterException(where, "--fhir-base " + fhirBase + " is not a URL: give the server's base URL "
          + "with http:// or https://, e.g. https://ehr.example.org/fhir");
    }
    if (fhirBase == null) {
      for (String option : given()) {
        throw new ParameterException(where, option + " goes with --fhir-base (a Bulk Data export)");
      }
    }
    if (group != null && exportLevel != null && !exportLevel.equals("group")) {
      throw new ParameterException(where, "--group exports a Group; it does not go with --export-level "
          + exportLevel);
    }
    if (exportLevel != null && !exportLevel.matches("system|patient|group")) {
      throw new ParameterException(where, "--export-level " + exportLevel + " is not a level: use system or patient "
          + "(or --group ID)");
    }
    if ("group".equals(exportLevel) && group == null) {
      throw new ParameterException(where, "--export-level group needs --group ID");
    }
    if (clientId != null && privateKey == null) {
      throw new ParameterException(where, "--client-id needs --private-key FILE, the key the client assertion is "
          + "signed with ('ketamine-advisor backend-key' makes one)");
    }
    if (clientId == null && (privateKey != null || keyId != null || scope != null)) {
      throw new ParameterException(where, (privateKey != null ? "--private-key" : keyId != null ? "--key-id"
          : "--scope") + " needs --client-id (SMART Backend Services authorization)");
    }
    if (exportTimeoutMinutes <= 0) {
      throw new ParameterException(where, "--export-timeout must be a positive number of minutes");
    }
  }

  ExportLevel level() {
    if (group != null) {
      return ExportLevel.GROUP;
    }
    return "patient".equals(exportLevel) ? ExportLevel.PATIENT : ExportLevel.SYSTEM;
  }

  private java.util.List<String> given() {
    java.util.List<String> given = new java.util.ArrayList<>();
    if (group != null) {
      given.add("--group");
    }
    if (exportLevel != null) {
      given.add("--export-level");
    }
    if (clientId != null) {
      given.add("--client-id");
    }
    if (privateKey != null) {
      given.add("--private-key");
    }
    return given;
  }
}
