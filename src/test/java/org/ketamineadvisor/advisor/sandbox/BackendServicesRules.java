package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Patient;

/**
 * What a SMART Backend Services token ({@code system/} scopes, no user, no patient) may do on the sandbox's FHIR
 * server: read and search the types it has {@code r}/{@code s} on, across every patient; run a Bulk Data export
 * (system, Group or Patient level) of those types only, poll it, download its files (Binary) and delete it; create
 * ({@code c}) and update ({@code u}) the types it has those on, in a transaction too ({@code screen --write-group}:
 * {@code system/Group.cu system/MeasureReport.cu system/Provenance.c}). Denials are 403 with an OperationOutcome
 * naming what is missing.
 */
final class BackendServicesRules {

  /** The types a {@code system/*} scope covers for an export: what the sandbox's FHIR server holds and reads. */
  private static final String EXPORT_OPERATION = "$export";
  private static final String STATUS_OPERATION = "$export-poll-status";

  private BackendServicesRules() {}

  static List<IAuthRule> forScopes(SmartScopes scopes, RestOperationTypeEnum operation, String type) {
    RuleBuilder rules = new RuleBuilder();
    rules.allow().metadata();
    Set<String> readable = new TreeSet<>();
    boolean readsAll = scopes.systemAllows(SmartScopes.ANY_TYPE, 'r') || scopes.systemAllows(SmartScopes.ANY_TYPE, 's');
    for (String granted : scopes.systemByType().keySet()) {
      if (scopes.systemAllows(granted, 'r') || scopes.systemAllows(granted, 's')) {
        readable.add(granted);
        if (granted.equals(SmartScopes.ANY_TYPE)) {
          rules.allow().read().allResources().withAnyId();
        } else {
          rules.allow().read().resourcesOfType(granted).withAnyId();
        }
      }
      if (scopes.systemAllows(granted, 'c')) {
        creates(rules, granted);
      }
      if (scopes.systemAllows(granted, 'u')) {
        if (granted.equals(SmartScopes.ANY_TYPE)) {
          rules.allow().write().allResources().withAnyId();
        } else {
          rules.allow().write().resourcesOfType(granted).withAnyId();
        }
      }
    }
    if (!readable.isEmpty()) {
      // the export itself: only of types the token may read (HAPI checks _type when the job is about to start)
      var export = rules.allow().bulkExport().any();
      if (!readsAll) {
        export.withResourceTypes(readable);
      }
      rules.allow().operation().named(EXPORT_OPERATION).onServer().andAllowAllResponses();
      rules.allow().operation().named(EXPORT_OPERATION).onType(Patient.class).andAllowAllResponses();
      rules.allow().operation().named(EXPORT_OPERATION).onInstancesOfType(Group.class).andAllowAllResponses();
      // polling (GET) and deleting (DELETE) the job; the files are Binary resources
      rules.allow().operation().named(STATUS_OPERATION).onServer().andAllowAllResponses();
      rules.allow().read().resourcesOfType("Binary").withAnyId();
    }
    rules.allow().transaction().withAnyOperation().andApplyNormalRules();
    return rules.denyAll("the token's system scopes " + scopes.systemByType().keySet() + " do not allow " + operation
        + (type == null ? "" : " " + type)).build();
  }

  private static void creates(RuleBuilder rules, String type) {
    if (type.equals(SmartScopes.ANY_TYPE)) {
      rules.allow().create().allResources().withAnyId();
      rules.allow().createConditional().allResources();
    } else {
      rules.allow().create().resourcesOfType(type).withAnyId();
      rules.allow().createConditional().resourcesOfType(type);
    }
  }
}
